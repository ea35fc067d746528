app_name = "census"

urlpatterns: list = []

"""志愿服务与应急: the operations part (services, selectors, forms, views, api)."""

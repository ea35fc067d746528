"""志愿服务与应急: the teams part (services, selectors, forms, views, api)."""

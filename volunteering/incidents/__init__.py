"""志愿服务与应急: the incidents part (services, selectors, forms, views, api)."""

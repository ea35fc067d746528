"""帮扶与信访: the hardship part (services, selectors, forms, views, api)."""

"""疗休养与体检: the checkups part (services, selectors, forms, views, api)."""

"""疗休养与体检: the journeys part (services, selectors, forms, views, api)."""

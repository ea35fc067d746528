"""帮扶与信访: the petitions part (services, selectors, forms, views, api)."""

"""HTTP: pages, the JSON API, middlewares."""

"""Single sign-on per municipality (issue #18): a city's own identity provider (OpenID Connect) logs its staff in."""

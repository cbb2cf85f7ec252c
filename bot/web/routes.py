"""The dashboard's routes: (path, the `bot.web.dashboard.Dashboard` method that answers it).

A module of its own, so that `bot.web` (which registers them without importing the
dashboard) and `bot.web.dashboard` both read it without importing each other."""

DASHBOARD_ROUTES = (
    ("/dash/t/{token}", "open_link"),
    ("/dash/", "home"),
    ("/dash", "home"),
    ("/dash/a/{alliance_id:\\d+}", "alliance"),
    ("/dash/a/{alliance_id:\\d+}/export", "export"),
    ("/dash/county", "county"),
    ("/dash/static/{name}", "static"),
)

"""Running canary releases on one machine: nginx, an access-log exporter, a demo app, the demo."""

"""sla: support contracts under a Service Level Agreement."""

__version__ = "0.1.0"
APP_NAME = "sla"  # the name of the app's folders for config, data and cache

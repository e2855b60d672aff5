"""sla: support contracts under a Service Level Agreement."""

__version__ = "0.1.0"

"""taskerlog: a gig data worker's own logbook of projects, time, rates, empty queues and pay."""

__version__ = "0.1.0"

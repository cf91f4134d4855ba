"""Organizers: anonymized contributions and a pooled view that never singles anyone out (issue 4).

``campaign``      the public campaign file (what is asked, k)
``contribution``  the worker side: mapping, pseudonym, the rows that leave the machine
``pool``          the organizer side: the pool folder, aggregation, suppression
``report``        CSV, JSON, printable HTML and charts of the released groups only
See docs/organizers.md.
"""

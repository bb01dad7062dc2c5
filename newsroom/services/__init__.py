"""Every write to the paper goes through a service in this package.

Admin, importers, management commands and tests call these functions; they
validate, write and record in one transaction.
"""

"""Referring from anywhere: a service's "Refer someone" page, and the offers (with one consent
conversation for several services) that the contact and case pages show."""

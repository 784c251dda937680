"""FHIR R4 for referrals: a referral out as a Bundle (ServiceRequest, Task, Patient,
Consent), and a GP system's ServiceRequest bundle in as a referral. Every resource is built
with, and every bundle read through, the R4B models of `fhir.resources`, so what leaves is
valid and what arrives is refused with the element that is wrong."""

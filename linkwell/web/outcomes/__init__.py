"""The outcomes pages: questionnaires asked by a connector or a service, answered by the person
through a link, coded referral outcomes, and a person's scores over time."""

"""Outcomes' part in a referral's ending, registered into `linkwell.referrals.hooks` (referrals
never import outcomes): the coded outcome required and recorded when a referral completes or a
case is discharged, the coded outcome and the change since baseline in the message back, and
the answers, scores and coded outcome in the referral's FHIR export."""

from linkwell.referrals import hooks as referral_hooks


def register() -> None:
    from linkwell.outcomes.hooks import completion, fhir, message_back

    referral_hooks.register_completion(
        "outcomes", referral_hooks.CompletionHook(check=completion.check, record=completion.record)
    )
    referral_hooks.register_message_back("outcomes", message_back.lines)
    referral_hooks.register_fhir("outcomes", fhir.resources)

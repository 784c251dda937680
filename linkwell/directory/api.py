from ninja import Router

router = Router(tags=["Open Referral UK"])

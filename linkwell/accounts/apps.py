from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linkwell.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from linkwell.accounts.signin.middleware import stamp_sign_in

        # Session bookkeeping, not an audit (sign-ins are audited by the sign-in view).
        user_logged_in.connect(stamp_sign_in, dispatch_uid="linkwell_stamp_sign_in")

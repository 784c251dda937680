"""What can stop a backup, a restore or a check, each with the exit code the command gives.

Every message says what happened and what to do next: these are read at 3 a.m. by whoever
was paged, and by the scripts that run backups (which tell the three kinds apart by code).
"""


class BackupError(Exception):
    """Something failed (a tool is missing, a server refused, a disk filled): exit code 1."""

    returncode = 1


class Refused(BackupError):
    """Not done on purpose: the file is no Linkwell backup, its database is another vendor's,
    its migrations are newer than this code, or the database is in use: exit code 3."""

    returncode = 3


class ChecksFailed(BackupError):
    """The backup, or a database restored from it, does not match the manifest: exit code 4."""

    returncode = 4

    def __init__(self, message: str, differences: list[str] | None = None) -> None:
        self.differences = differences or []
        shown = "".join(f"\n  - {line}" for line in self.differences[:20])
        more = len(self.differences) - 20
        if more > 0:
            shown += f"\n  ... and {more} more"
        super().__init__(message + shown)

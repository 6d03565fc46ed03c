"""A permission that is a rule (第十一条): ``rules.HANDLES_LETTERS`` is held by whoever
``rules.may_triage`` says handles letters now — the officers of the section owning 沟通信箱 —
so that a file kept to that permission (the 整理上报 export, ``Job.result_permission``) follows
the column when it moves, with no grant to keep in step. Grants nothing else, authenticates
nobody."""

from . import rules


class LetterRulesBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return perm == rules.HANDLES_LETTERS and rules.may_triage(user_obj)

"""A lifecycle as one declared table: state × action → who may → next state.

A domain app (a letter in ``mailbox``, a change request in ``changes``) declares its table once,
as ``Transition`` rows in a ``Lifecycle``. Its admin shows a button exactly when ``allows`` says
yes, and its operations ask ``refusal`` for the sentence to refuse with and take the next state
from the row ``check`` returns, so that the buttons and the operations cannot drift apart.

Nothing here knows a domain: the rules (``may``) are the apps' own rule functions, the states
their model's choices. Imports nothing of the project, so that every app may import it.
The steps of the review record are append-only here too (``AppendOnlyStep``).

A request decided by a chain of reviewers (a take-offline request, a 专栏 application) names
its reviewer's and its requester's actions ``APPROVE``, ``RETURN`` and ``WITHDRAW``, and refuses
with ``Refused``: its admin screens are then the shared ones of ``views`` (the list, one request
with its record and the decision, the withdrawal), with the decision form of ``forms`` and the
templates under ``templates/lifecycles/``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.db import models

# The actions of a reviewed request, the same in every table whose admin is ``views``: the
# reviewer's 同意 and 退回, the requester's 撤回.
APPROVE, RETURN, WITHDRAW = "approve", "return", "withdraw"


class Refused(Exception):
    """A rule or the table refuses the action; ``message`` says why, in Chinese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Guard:
    """A condition on the object besides its state (``holds(obj)``), and the sentence shown
    when it does not hold."""

    holds: Callable
    message: str


@dataclass(frozen=True)
class Transition:
    """One row: ``action`` taken from any of ``sources`` by a user ``may(user, obj)`` allows,
    when every guard holds, leads to ``target`` (``None``: the state stays). A target that
    depends on the object or on a setting is a function, ``target(obj)``: ``next_state``.

    ``refusal`` is what a user the rule refuses is told: a sentence, or ``refusal(user, obj)``
    for rules that say themselves why (such as ``changes.rules.refusal_to_decide``)."""

    action: str
    sources: frozenset
    target: str | Callable | None
    may: Callable
    label: str
    refusal: str | Callable = "您无权进行这一步。"
    guards: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))

    def next_state(self, obj):
        """The state the step leads ``obj`` to (``None``: it stays)."""
        return self.target(obj) if callable(self.target) else self.target

    def refused(self, user, obj):
        """Why the rule refuses ``user``, or ``None``."""
        if self.may(user, obj):
            return None
        return self.refusal(user, obj) if callable(self.refusal) else self.refusal


class Lifecycle:
    """The transitions of one kind of object, looked up by (action, current state).

    ``wrong_state(obj)`` is the sentence for an action that may not be taken from the object's
    state by a user who could take it from another one; ``initial`` is the state an object is
    created in."""

    def __init__(self, *transitions, wrong_state, initial=None, state=attrgetter("status")):
        self.transitions = transitions
        self.wrong_state = wrong_state
        self.initial = initial
        self.state = state
        self._rows = {}
        for row in transitions:
            rows = self._rows.setdefault(row.action, [])
            for other in rows:
                if other.sources & row.sources:
                    raise ValueError(f"{row.action}: two rows from {other.sources & row.sources}")
            rows.append(row)

    @property
    def actions(self):
        return list(self._rows)

    def rows(self, action):
        return self._rows[action]  # an action not in the table is a programming error

    def row(self, action, state):
        """The transition ``action`` takes from ``state``, or ``None``."""
        return next((row for row in self.rows(action) if state in row.sources), None)

    def refusal(self, action, user, obj):
        """Why ``user`` may not take ``action`` on ``obj`` now, or ``None``.

        Who first: a user whom no row of the action allows is refused as such, whatever the
        state; then the state; then the row's rule (it may differ from state to state) and its
        guards, in order."""
        row = self.row(action, self.state(obj))
        if row is None:
            refusals = [other.refused(user, obj) for other in self.rows(action)]
            if all(refusals):
                return refusals[0]
            return self.wrong_state(obj)
        refusal = row.refused(user, obj)
        if refusal:
            return refusal
        for guard in row.guards:
            if not guard.holds(obj):
                return guard.message
        return None

    def allows(self, action, user, obj):
        return self.refusal(action, user, obj) is None

    def check(self, action, user, obj, error):
        """The row ``action`` takes, or ``error(sentence)`` raised."""
        refusal = self.refusal(action, user, obj)
        if refusal:
            raise error(refusal)
        return self.row(action, self.state(obj))


# The review record beside a lifecycle: each step (filing, a decision, a withdrawal) is a row
# written once (R-FLOW-4), which neither a queryset nor an instance may rewrite or remove.


class AppendOnlyError(Exception):
    """Raised when code tries to rewrite or remove part of the record (R-FLOW-4)."""


class AppendOnlyStepQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审核记录不能修改。")

    def delete(self):
        raise AppendOnlyError("审核记录不能删除。")


class AppendOnlyStep:
    """Mixed into a step model before ``models.Model``: a saved step is never saved again or
    deleted."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审核记录不能修改。")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审核记录不能删除。")

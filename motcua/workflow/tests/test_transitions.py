"""Every status × action × party against the table written out by hand from the contract."""

import itertools

import pytest

from motcua.workflow.domain import Action, Party, Status, TransitionError, next_status

S, A, P = Status, Action, Party

# (from, action) -> (to, parties allowed besides SYSTEM). "prev" = the status paused from.
EXPECTED: dict[tuple[int, str], tuple[int | str, set[Party]]] = {
    (1, "accept"): (2, {P.RECEPTION}),
    (1, "refuse"): (3, {P.RECEPTION}),
    (1, "request-supplement"): (5, {P.RECEPTION, P.HANDLER}),
    (2, "request-supplement"): (5, {P.RECEPTION, P.HANDLER}),
    (4, "request-supplement"): (5, {P.RECEPTION, P.HANDLER}),
    (5, "supplement"): ("prev", {P.APPLICANT, P.RECEPTION}),
    (2, "forward"): (4, {P.HANDLER}),
    (4, "forward"): (4, {P.HANDLER}),
    (4, "request-payment"): (6, {P.HANDLER}),
    (6, "confirm-payment"): (4, {P.RECEPTION}),
    (4, "resolve"): (9, {P.LEADER_AT_STEP}),
    (9, "return"): (10, {P.RECEPTION}),
    **{(s, "withdraw"): (7, {P.APPLICANT, P.RECEPTION}) for s in (1, 2, 4, 5, 6)},
    **{(s, "stop"): (8, {P.LEADER}) for s in (4, 5, 6)},
    **{(s, "apologize"): (s, {P.LEADER}) for s in (2, 4, 5, 6)},
    **{(s, "claim"): (s, {P.POOL}) for s in (2, 4)},
    **{(s, "reassign"): (s, {P.HANDLER, P.LEADER}) for s in (2, 4)},
    (4, "send-back"): (4, {P.HANDLER}),
    (4, "consult"): (4, {P.HANDLER}),
    **{(s, "answer-consultation"): (s, {P.CONSULTED}) for s in (2, 4, 5, 6)},
}

CASES = list(itertools.product(list(Status), list(Action), list(Party)))


@pytest.mark.parametrize(("status", "action", "party"), CASES,
                         ids=[f"{s.value}-{a.value}-{p.value}" for s, a, p in CASES])
def test_every_cell(status: Status, action: Action, party: Party) -> None:
    expected = EXPECTED.get((status.value, action.value))
    if expected is None:
        with pytest.raises(TransitionError) as exc:
            next_status(status, action, {party}, paused_from=4)
        assert exc.value.code == "invalid_transition"
        return
    to, parties = expected
    if party in parties or party == P.SYSTEM:
        result = next_status(status, action, {party}, paused_from=4)
        assert result == (4 if to == "prev" else to)
    else:
        with pytest.raises(TransitionError) as exc:
            next_status(status, action, {party}, paused_from=4)
        assert exc.value.code == "forbidden"


@pytest.mark.parametrize("paused_from", [1, 2, 4])
def test_supplement_returns_to_the_status_it_came_from(paused_from: int) -> None:
    assert next_status(5, "supplement", {P.APPLICANT}, paused_from=paused_from) == paused_from


def test_unknown_action_is_invalid_transition() -> None:
    with pytest.raises(TransitionError) as exc:
        next_status(4, "teleport", {P.SYSTEM})
    assert exc.value.code == "invalid_transition"


def test_final_statuses_allow_nothing() -> None:
    for status in (3, 7, 8, 10):
        for action in Action:
            with pytest.raises(TransitionError):
                next_status(status, action, set(Party))

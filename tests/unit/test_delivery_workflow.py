"""The delivery workflow as a plain state machine: events in, commands out."""

from __future__ import annotations

import pytest

from kiosk.workflows import messages as m
from kiosk.workflows import views
from kiosk.workflows.delivery import OPEN_ALARM, Delivery, Limits, Stage

PACKAGE = m.GoodsIn("gi-1", "1Z5R89390357567127")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def doors(*free: str):
    def choose(
        goods_in: m.GoodsIn, avoid: frozenset[str], larger: str | None
    ) -> str | None:
        return next((d for d in free if d not in avoid), None)

    return choose


def shown(commands: list[m.Command]) -> list[object]:
    return [c.view for c in commands if isinstance(c, m.Show)]


def recorded(commands: list[m.Command]) -> list[m.Record]:
    return [c for c in commands if isinstance(c, m.Record)]


def typed(flow: Delivery, code: str) -> list[m.Command]:
    flow.handle(m.StartDelivery())
    for key in code:
        flow.handle(m.Key(key))
    return flow.handle(m.Key("enter"))


def test_a_typed_code_is_checked_and_not_kept():
    flow = Delivery(doors("A1"), Clock())
    commands = typed(flow, "123456")
    assert m.VerifyCode("123456") in commands
    assert flow.stage is Stage.VERIFYING
    assert shown(commands) == [views.WorkingView("Checking your code…")]


def test_keys_edit_the_code_on_screen():
    flow = Delivery(doors("A1"), Clock())
    flow.handle(m.StartDelivery())
    flow.handle(m.Key("1"))
    flow.handle(m.Key("2"))
    assert shown(flow.handle(m.Key("backspace"))) == [views.CodeEntryView("1")]
    assert flow.handle(m.Key("x")) == []


def test_the_code_is_capped_at_its_longest():
    flow = Delivery(doors("A1"), Clock(), Limits(code_max_length=4))
    flow.handle(m.StartDelivery())
    for key in "123456":
        commands = flow.handle(m.Key(key))
    assert shown(commands) == [views.CodeEntryView("1234")]


def test_a_short_code_is_not_sent():
    flow = Delivery(doors("A1"), Clock())
    commands = typed(flow, "12")
    assert not any(isinstance(c, m.VerifyCode) for c in commands)
    assert flow.stage is Stage.ENTERING


def test_an_accepted_code_unlocks_a_door_and_a_close_delivers():
    flow = Delivery(doors("B2"), Clock())
    typed(flow, "123456")
    commands = flow.handle(m.CodeAccepted(PACKAGE))
    assert m.UnlockDoor("B2") in commands
    assert recorded(commands)[0].kind == "door_unlock"

    commands = flow.handle(m.DoorUnlocked("B2", confirmed=True))
    assert shown(commands) == [views.DoorOpenView("B2")]

    assert flow.handle(m.DoorClosed("A1")) == []  # another door changes nothing
    commands = flow.handle(m.DoorClosed("B2"))
    delivery = recorded(commands)
    assert delivery == [
        m.Record(
            "delivery",
            door="B2",
            payload={"goodsInId": "gi-1", "trackingNumber": PACKAGE.tracking_number},
            report=True,
        )
    ]
    # The record comes before the confirmation on screen.
    assert commands.index(delivery[0]) < commands.index(
        m.Show(views.DoneView("B2", PACKAGE.tracking_number))
    )


def test_a_door_that_does_not_open_is_replaced_by_another():
    flow = Delivery(doors("A1", "A2"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    commands = flow.handle(m.DoorUnlocked("A1", confirmed=False))
    assert [r.kind for r in recorded(commands)] == ["door_fault", "door_unlock"]
    assert m.UnlockDoor("A2") in commands


def test_a_door_that_may_be_open_is_not_joined_by_a_second():
    flow = Delivery(doors("A1", "A2"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    commands = flow.handle(m.DoorUnlocked("A1", confirmed=False, unsure=True))
    assert not any(isinstance(c, m.UnlockDoor) for c in commands)
    assert shown(commands) == [views.DoorOpenView("A1", unsure=True)]
    assert recorded(commands)[0].payload == {"confirmed": False}

    # The courier says it did not open: another door, and the first is a fault.
    commands = flow.handle(m.DidNotOpen())
    assert [r.kind for r in recorded(commands)] == ["door_fault", "door_unlock"]
    assert m.UnlockDoor("A2") in commands


def test_a_door_without_sensors_too_small_for_the_package_is_released_not_faulty():
    flow = Delivery(doors("S1", "L1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("S1", confirmed=False, unsure=True))
    commands = flow.handle(m.OtherDoor())
    assert [r.kind for r in recorded(commands)] == ["door_released", "door_unlock"]
    (view,) = shown(flow.handle(m.DoorUnlocked("L1", confirmed=False, unsure=True)))
    assert view == views.DoorOpenView("L1", also_close=("S1",), unsure=True)


def test_did_not_open_means_nothing_where_the_door_was_seen_open():
    flow = Delivery(doors("A1", "A2"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    assert flow.handle(m.DidNotOpen()) == []


def test_finish_on_a_door_without_sensors_takes_the_couriers_word():
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=False, unsure=True))
    commands = flow.handle(m.Finish(closed=None))
    (delivery,) = [r for r in recorded(commands) if r.kind == "delivery"]
    assert delivery.report and delivery.payload["confirmedBy"] == "courier"
    assert flow.stage is Stage.DONE


def test_finish_follows_the_sensors_where_there_are_some():
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))

    commands = flow.handle(m.Finish(closed=False))
    assert recorded(commands) == []
    assert "push it firmly shut" in shown(commands)[0].note  # type: ignore[attr-defined]

    commands = flow.handle(m.Finish(closed=True, empty=True))
    assert shown(commands) == [views.EmptyCloseView("A1")]
    assert [r.kind for r in recorded(commands)] == ["door_closed_empty"]

    flow.handle(m.Reopen())
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    commands = flow.handle(m.Finish(closed=True, empty=False))
    (delivery,) = [r for r in recorded(commands) if r.kind == "delivery"]
    assert "confirmedBy" not in delivery.payload


def test_no_free_door_is_said_plainly():
    flow = Delivery(doors(), Clock())
    typed(flow, "123456")
    commands = flow.handle(m.CodeAccepted(PACKAGE))
    assert flow.stage is Stage.ERROR
    assert isinstance(shown(commands)[0], views.ErrorView)
    assert recorded(commands)[0].payload["reason"] == "no_free_door"


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("unknown_code", "not valid"),
        ("code_expired", "expired"),
        ("code_used", "already been used"),
        ("something_new", "cannot be used"),
    ],
)
def test_a_refused_code_says_why_and_opens_nothing(reason: str, words: str):
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    commands = flow.handle(m.CodeRefused(reason))
    view = shown(commands)[0]
    assert isinstance(view, views.CodeEntryView)
    assert view.error and words in view.message
    assert not any(isinstance(c, m.UnlockDoor) for c in commands)


def test_guessing_is_locked_out_and_the_wait_grows():
    clock = Clock()
    flow = Delivery(doors("A1"), clock, Limits(max_failed_codes=3, lockout_seconds=60))
    for _ in range(3):
        typed(flow, "123456")
        commands = flow.handle(m.CodeRefused("unknown_code"))
    assert "wait 60 s" in shown(commands)[0].message  # type: ignore[attr-defined]

    for key in "123456":
        flow.handle(m.Key(key))
    commands = flow.handle(m.Key("enter"))
    assert not any(isinstance(c, m.VerifyCode) for c in commands)
    assert "Too many wrong codes" in shown(commands)[0].message  # type: ignore[attr-defined]

    clock.now += 61
    flow.handle(m.Key("cancel"))
    typed(flow, "123456")
    commands = flow.handle(m.CodeRefused("unknown_code"))
    assert "wait 120 s" in shown(commands)[0].message  # type: ignore[attr-defined]


def test_a_lockout_closes_the_label_way_in_too():
    clock = Clock()
    flow = Delivery(doors("A1"), clock, Limits(max_failed_codes=2, lockout_seconds=60))
    for _ in range(2):
        typed(flow, "123456")
        flow.handle(m.CodeRefused("unknown_code"))

    for event in (m.PackageFound(PACKAGE), m.Scanned("654321")):
        commands = flow.handle(event)
        assert not any(isinstance(c, m.UnlockDoor | m.VerifyCode) for c in commands)
        assert "Try again in 60 s" in shown(commands)[0].message  # type: ignore[attr-defined]

    clock.now += 61
    assert m.UnlockDoor("A1") in flow.handle(m.PackageFound(PACKAGE))


def test_a_code_unknown_offline_counts_toward_the_lockout():
    clock = Clock()
    flow = Delivery(doors("A1"), clock, Limits(max_failed_codes=2, lockout_seconds=60))
    typed(flow, "123456")
    commands = flow.handle(m.KonnectUnreachable())
    assert flow.stage is Stage.ENTERING
    message = shown(commands)[0].message  # type: ignore[attr-defined]
    assert "No connection" in message and "does not know that code" in message
    assert [r.payload for r in recorded(commands)] == [
        {"reason": "unverifiable_offline"}
    ]

    typed(flow, "654321")
    commands = flow.handle(m.KonnectUnreachable())
    assert "wait 60 s" in shown(commands)[0].message  # type: ignore[attr-defined]
    commands = typed(flow, "111111")
    assert not any(isinstance(c, m.VerifyCode) for c in commands)


def test_a_door_left_open_raises_an_alarm_and_still_delivers():
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    commands = flow.handle(m.TimerFired(OPEN_ALARM))
    # Konnect hears of it too: the record is queued, not only kept.
    assert [(r.kind, r.report) for r in recorded(commands)] == [
        ("alarm_door_left_open", True)
    ]
    assert shown(commands) == [views.DoorOpenView("A1", alarm=True)]
    assert [r.kind for r in recorded(flow.handle(m.DoorClosed("A1")))] == ["delivery"]


def test_inactivity_returns_home_but_not_with_a_door_open():
    flow = Delivery(doors("A1"), Clock())
    flow.handle(m.StartDelivery())
    assert shown(flow.handle(m.TimerFired("inactivity"))) == [views.HomeView()]

    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    assert flow.handle(m.TimerFired("inactivity")) == []
    assert flow.stage is Stage.DOOR_OPEN


def test_a_scanned_access_code_counts_as_typed():
    flow = Delivery(doors("A1"), Clock())
    commands = flow.handle(m.Scanned("654321\r"))
    assert m.VerifyCode("654321") in commands


def test_a_scanned_label_is_not_taken_for_a_code():
    flow = Delivery(doors("A1"), Clock())
    commands = flow.handle(m.Scanned("1Z5R89390357567127"))
    assert not any(isinstance(c, m.VerifyCode) for c in commands)
    assert "not an access code" in shown(commands)[0].message  # type: ignore[attr-defined]


def test_late_answers_are_ignored():
    flow = Delivery(doors("A1"), Clock())
    flow.handle(m.StartDelivery())
    flow.handle(m.Key("cancel"))
    assert flow.handle(m.CodeAccepted(PACKAGE)) == []
    assert flow.handle(m.DoorUnlocked("A1", confirmed=True)) == []
    assert flow.stage is Stage.HOME


def test_a_package_that_does_not_fit_gets_a_larger_door():
    asked: list[str | None] = []

    def choose(goods_in: m.GoodsIn, avoid: frozenset[str], larger: str | None):
        asked.append(larger)
        return "L1" if larger else "S1"

    flow = Delivery(choose, Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("S1", confirmed=True))
    commands = flow.handle(m.OtherDoor())
    assert [r.kind for r in recorded(commands)] == ["door_released", "door_unlock"]
    assert m.UnlockDoor("L1") in commands
    assert asked == [None, "S1"]
    shown_now = shown(flow.handle(m.DoorUnlocked("L1", confirmed=True)))
    assert shown_now == [views.DoorOpenView("L1", also_close=("S1",))]
    # The released door shutting is no delivery; the screen stops naming it.
    assert flow.handle(m.DoorClosed("S1")) == [m.Show(views.DoorOpenView("L1"))]
    assert [r.kind for r in recorded(flow.handle(m.DoorClosed("L1")))] == ["delivery"]


def test_old_failures_are_forgiven_and_a_lockout_is_shown_on_start():
    clock = Clock()
    flow = Delivery(doors("A1"), clock, Limits(max_failed_codes=2, lockout_seconds=60))
    typed(flow, "123456")
    flow.handle(m.CodeRefused("unknown_code"))
    clock.now += 901
    typed(flow, "123456")
    commands = flow.handle(m.CodeRefused("unknown_code"))
    assert "wait" not in shown(commands)[0].message  # type: ignore[attr-defined]

    typed(flow, "123456")
    flow.handle(m.CodeRefused("unknown_code"))
    flow.handle(m.Key("cancel"))
    commands = flow.handle(m.StartDelivery())
    assert "Too many wrong codes" in shown(commands)[0].message  # type: ignore[attr-defined]


def test_a_found_package_opens_a_door_and_a_missing_one_says_why():
    flow = Delivery(doors("A1"), Clock())
    commands = flow.handle(m.PackageFound(PACKAGE))
    assert m.UnlockDoor("A1") in commands

    flow = Delivery(doors("A1"), Clock())
    commands = flow.handle(m.PackageNotFound("near_miss"))
    assert "scan it again" in shown(commands)[0].message  # type: ignore[attr-defined]
    assert not any(isinstance(c, m.UnlockDoor) for c in commands)


def test_an_empty_close_offers_a_reopen_and_reports_nothing():
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    commands = flow.handle(m.DoorClosed("A1", empty=True))
    assert [r.kind for r in recorded(commands)] == ["door_closed_empty"]
    assert shown(commands) == [views.EmptyCloseView("A1")]
    commands = flow.handle(m.Reopen())
    assert m.UnlockDoor("A1") in commands
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    assert [r.kind for r in recorded(flow.handle(m.DoorClosed("A1", empty=False)))] == [
        "delivery"
    ]


def test_leaving_after_an_empty_close_abandons_the_delivery():
    flow = Delivery(doors("A1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("A1", confirmed=True))
    flow.handle(m.DoorClosed("A1", empty=True))
    commands = flow.handle(m.Key("enter"))
    assert [r.kind for r in recorded(commands)] == ["delivery_abandoned"]
    assert flow.stage is Stage.HOME


def test_no_larger_door_keeps_the_open_one_and_says_so():
    def choose(goods_in: m.GoodsIn, avoid: frozenset[str], larger: str | None):
        return None if larger else "L1"

    flow = Delivery(choose, Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("L1", confirmed=True))
    commands = flow.handle(m.OtherDoor())
    assert recorded(commands) == []
    (view,) = shown(commands)
    assert isinstance(view, views.DoorOpenView) and view.door == "L1"
    assert "No larger door" in view.note
    assert flow.stage is Stage.DOOR_OPEN


def test_keys_during_a_lockout_are_dropped_and_the_countdown_ticks():
    clock = Clock()
    flow = Delivery(doors("A1"), clock, Limits(max_failed_codes=1, lockout_seconds=10))
    typed(flow, "123456")
    flow.handle(m.CodeRefused("unknown_code"))
    commands = flow.handle(m.Key("9"))
    assert shown(commands)[0].code == ""  # type: ignore[attr-defined]
    assert m.StartTimer("lockout-tick", 1.0) in commands
    clock.now += 4
    commands = flow.handle(m.TimerFired("lockout-tick"))
    assert "in 6 s" in shown(commands)[0].message  # type: ignore[attr-defined]
    clock.now += 7
    commands = flow.handle(m.TimerFired("lockout-tick"))
    assert shown(commands)[0].message == ""  # type: ignore[attr-defined]
    assert not any(isinstance(c, m.StartTimer) for c in commands)


def test_failures_restored_after_a_restart_keep_the_lockout():
    flow = Delivery(
        doors("A1"), Clock(), Limits(max_failed_codes=3, lockout_seconds=60)
    )
    flow.restore_failures(3, seconds_since_last=20)
    commands = flow.handle(m.StartDelivery())
    assert "in 40 s" in shown(commands)[0].message  # type: ignore[attr-defined]
    forgotten = Delivery(doors("A1"), Clock(), Limits(max_failed_codes=3))
    forgotten.restore_failures(3, seconds_since_last=1000)
    assert shown(forgotten.handle(m.StartDelivery()))[0].message == ""  # type: ignore[attr-defined]


def test_a_door_given_up_as_too_small_is_named_until_it_shuts():
    flow = Delivery(doors("S1", "L1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("S1", confirmed=True))
    flow.handle(m.OtherDoor())
    (view,) = shown(flow.handle(m.DoorUnlocked("L1", confirmed=True)))
    assert view == views.DoorOpenView("L1", also_close=("S1",))

    # Still open when the package is in: the thanks say so.
    (done,) = shown(flow.handle(m.DoorClosed("L1", empty=False)))
    assert done == views.DoneView("L1", PACKAGE.tracking_number, also_close=("S1",))


def test_a_door_given_up_and_shut_is_no_longer_named():
    flow = Delivery(doors("S1", "L1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("S1", confirmed=True))
    flow.handle(m.OtherDoor())
    flow.handle(m.DoorUnlocked("L1", confirmed=True))
    assert shown(flow.handle(m.DoorClosed("S1", empty=True))) == [
        views.DoorOpenView("L1")
    ]
    (done,) = shown(flow.handle(m.DoorClosed("L1", empty=False)))
    assert done == views.DoneView("L1", PACKAGE.tracking_number)


def test_every_door_given_up_is_named_until_it_shuts():
    flow = Delivery(doors("S1", "M1", "L1"), Clock())
    typed(flow, "123456")
    flow.handle(m.CodeAccepted(PACKAGE))
    flow.handle(m.DoorUnlocked("S1", confirmed=True))
    flow.handle(m.OtherDoor())
    flow.handle(m.DoorUnlocked("M1", confirmed=True))
    flow.handle(m.OtherDoor())
    (view,) = shown(flow.handle(m.DoorUnlocked("L1", confirmed=True)))
    assert view.also_close == ("S1", "M1")  # type: ignore[attr-defined]
    (view,) = shown(flow.handle(m.DoorClosed("S1", empty=True)))
    assert view.also_close == ("M1",)  # type: ignore[attr-defined]


@pytest.mark.parametrize("reason", ["code_expired", "code_used"])
def test_a_code_once_good_is_explained_and_never_locks_anyone_out(reason: str):
    flow = Delivery(doors("A1"), Clock(), Limits(max_failed_codes=2))
    for _ in range(4):
        typed(flow, "123456")
        commands = flow.handle(m.CodeRefused(reason))
        assert "Too many" not in shown(commands)[0].message  # type: ignore[attr-defined]
    assert [r.payload for r in recorded(commands)] == [{"reason": reason}]
    assert m.VerifyCode("654321") in typed(flow, "654321")

"""The Partner API client against the emulator, through the guide's workflows."""

from __future__ import annotations

import uuid

import pytest

from kiosk.journal import utc_now
from kiosk.konnect import (
    InventoryOrder,
    KonnectRejected,
    PartnerClient,
    TerminalStatus,
    wire,
)
from tests.support.emulator import running_emulator


async def test_a_partner_integrates_through_every_call_of_the_guide():
    with running_emulator() as emulator:
        partner = emulator.partner_client()
        assert isinstance(partner, PartnerClient)
        terminal = emulator.terminal_client()
        try:
            (location,) = await partner.locations()
            assert (location.identifier, location.name) == ("BH1", "Birmingham")
            assert location.address is not None
            assert location.address.postal_code == "B2 4QA"

            await partner.create_sku("SKU-PSU", "Power supply", "12 V, 5 A")
            await partner.create_nsi_sku(
                "SKU-TIE", "Cable ties", "Bag", "5012345678917"
            )
            await partner.preadvise("SKU-PSU", "PSU-0001")
            receipt = await partner.goods_in("BH1", "PSU-0001", sku="SKU-PSU")
            assert receipt.access_code.isdigit() and len(receipt.access_code) == 6

            # A courier delivers it at the terminal.
            code = await terminal.verify_code(receipt.access_code)
            assert isinstance(code, wire.GoodsInCode)
            event = str(uuid.uuid4())
            await terminal.report_delivery(
                wire.DeliveryReport(
                    event_id=event,
                    goods_in_id=code.goods_in_id,
                    tracking_number="PSU-0001",
                    door="A3",
                    occurred_at=utc_now(),
                )
            )

            await partner.create_job_order(
                "JOB-0001",
                "eng-1",
                [wire.JobPackage(barcode="PSU-0001", location="BH1", door="A3")],
            )
            await partner.assign_package("eng-1", "PSU-0001")
            await partner.assign_door("eng-1", "C4")

            await partner.add_stock_door("SKU-PSU", "D3", minimum=1)
            before = await partner.stock_summary("BH1", "SKU-ROUTER")
            order = await partner.create_inventory_order(
                "BH1",
                "SKU-ROUTER",
                "INV-0001",
                "eng-1",
                [
                    wire.InventoryLine(
                        sku="SKU-ROUTER", quantity=1, location_identifier="BH1"
                    )
                ],
            )
            assert isinstance(order, InventoryOrder)
            assert (order.order_reference, order.user) == ("INV-0001", "eng-1")
            assert order.state == "active"
            assert [p.collected for p in order.packages] == [False]
            after = await partner.stock_summary("BH1", "SKU-ROUTER")
            assert (after.total, after.available) == (
                before.total,
                before.available - 1,
            )

            with pytest.raises(KonnectRejected) as refused:
                await partner.create_inventory_order(
                    "BH1",
                    "SKU-ROUTER",
                    "INV-0002",
                    "eng-1",
                    [
                        wire.InventoryLine(
                            sku="SKU-ROUTER", quantity=99, location_identifier="BH1"
                        )
                    ],
                )
            assert refused.value.status == 409
            with pytest.raises(KonnectRejected) as refused:
                await partner.goods_in("NOWHERE", "X-1")
            assert refused.value.status == 404

            status = TerminalStatus(online=True, waiting=2, out_of_service=["B1"])
            await terminal.heartbeat(utc_now(), status)
            # The emulator's own read of the last heartbeat, not in the guide.
            answer = await partner.session.request(
                "GET", "/Api/locations/BH1/heartbeat"
            )
            last = answer.json()
            assert TerminalStatus.model_validate(last["status"]) == status
        finally:
            await partner.aclose()
            await terminal.aclose()

"""The socket several workers share: made for TCP, so that each worker's connections
send without waiting for Nagle's algorithm."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from multiprocessing.connection import Connection

import pytest

from hansei.errors import UsageError
from hansei.web.server import listening_socket


def _accepted_nodelay(listening: socket.socket, report: Connection) -> None:
    """In a worker process, as uvicorn's get the socket: serve one connection with
    asyncio and report whether the accepted socket has TCP_NODELAY."""

    async def serve() -> None:
        done = asyncio.Event()

        def accepted(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted_socket = writer.get_extra_info("socket")
            report.send(accepted_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()
            done.set()

        server = await asyncio.start_server(accepted, sock=listening)
        report.send("listening")
        async with server:
            await asyncio.wait_for(done.wait(), timeout=30)

    asyncio.run(serve())


def _nodelay_in_a_worker(listening: socket.socket) -> int:
    listening.listen()
    receiving, sending = multiprocessing.get_context("spawn").Pipe(duplex=False)
    worker = multiprocessing.get_context("spawn").Process(
        target=_accepted_nodelay, args=(listening, sending)
    )
    worker.start()
    try:
        assert receiving.poll(60), "the worker did not start"
        assert receiving.recv() == "listening"
        with socket.create_connection(listening.getsockname()[:2], timeout=30):
            assert receiving.poll(30), "the worker did not accept"
            nodelay: int = receiving.recv()
    finally:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.kill()
    return nodelay


def test_a_worker_sends_at_once_on_the_shared_socket() -> None:
    listening = listening_socket("127.0.0.1", 0)
    with listening:
        assert listening.proto == socket.IPPROTO_TCP
        assert _nodelay_in_a_worker(listening) == 1


def test_a_socket_made_without_naming_tcp_would_not() -> None:
    # What uvicorn's supervisor binds: the reason for binding our own.
    plain = socket.socket(socket.AF_INET)
    with plain:
        plain.bind(("127.0.0.1", 0))
        plain.set_inheritable(True)
        assert _nodelay_in_a_worker(plain) == 0


def test_a_port_in_use_is_refused_with_the_address() -> None:
    with listening_socket("127.0.0.1", 0) as taken:
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"cannot listen on 127.0.0.1:{port}"):
            listening_socket("127.0.0.1", port).close()

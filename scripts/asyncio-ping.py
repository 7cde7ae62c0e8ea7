"""The asyncio side of scripts/idle-clients.sh: a server in the Python
workshop's shape (asyncio.start_server, one coroutine per client reading
RESP with readuntil/readexactly, write + drain), reduced to PING. It exists
to measure what an idle connection costs an event loop.

    python3 scripts/asyncio-ping.py PORT
"""
import asyncio
import sys


async def read_request(reader):
    """One RESP array of bulk strings, as the Python workshop reads it."""
    header = await reader.readuntil(b"\r\n")
    count = int(header[1:-2])
    args = []
    for _ in range(count):
        length = int((await reader.readuntil(b"\r\n"))[1:-2])
        args.append((await reader.readexactly(length + 2))[:-2])
    return args


async def handle(reader, writer):
    try:
        while True:
            args = await read_request(reader)
            if args and args[0].upper() == b"PING":
                writer.write(b"+PONG\r\n")
            else:
                writer.write(b"-ERR only PING here\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=511)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

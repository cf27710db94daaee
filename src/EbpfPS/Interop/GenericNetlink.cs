using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace EbpfPS.Interop
{
    /// <summary>A minimal generic-netlink client: resolve a family by name, send one request, collect the
    /// attributes of every reply. Enough to ask the kernel's "netdev" family which interfaces do native XDP.</summary>
    internal sealed unsafe class GenericNetlink : IDisposable
    {
        private const ushort ControllerFamily = 0x10, NlmsgError = 2, NlmsgDone = 3;
        private const ushort Request = 1, Dump = 0x300;
        private const byte GetFamily = 3;
        private const ushort FamilyIdAttribute = 1, FamilyNameAttribute = 2;

        private readonly FileDescriptorHandle _socket;
        private uint _sequence;

        internal GenericNetlink()
        {
            int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_GENERIC);
            if (fd < 0) throw new InvalidOperationException($"netlink socket: {Errno.Describe(Errno.Last)}");
            _socket = new FileDescriptorHandle(fd);
            var timeout = stackalloc long[2] { 2, 0 }; // struct timeval: never wait for the kernel forever
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 16);
        }

        /// <summary>The id of a generic netlink family, or null when the kernel has no such family.</summary>
        internal ushort? FamilyId(string name)
        {
            var attributes = Attribute(FamilyNameAttribute, Encoding.ASCII.GetBytes(name + "\0"));
            try
            {
                foreach (var reply in Ask(ControllerFamily, GetFamily, attributes, dump: false))
                    if (reply.TryGetValue(FamilyIdAttribute, out var id)) return BinaryPrimitives.ReadUInt16LittleEndian(id);
            }
            catch (NetlinkException e) when (e.Code == Errno.ENOENT) { }
            return null;
        }

        /// <summary>Sends a command and returns the top-level attributes of each reply message, by type.</summary>
        internal List<Dictionary<ushort, byte[]>> Ask(ushort family, byte command, byte[] attributes, bool dump)
        {
            uint sequence = ++_sequence;
            var message = new byte[20 + attributes.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), family);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), (ushort)(Request | (dump ? Dump : 0)));
            BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
            message[16] = command;
            message[17] = 1; // version
            attributes.CopyTo(message, 20);
            fixed (byte* p = message)
                if (Libc.send(_socket.Fd, p, (nuint)message.Length, 0) < 0)
                    throw new NetlinkException(Errno.Last);

            var replies = new List<Dictionary<ushort, byte[]>>();
            var buffer = new byte[65536];
            while (true)
            {
                nint received;
                fixed (byte* p = buffer) received = Libc.recv(_socket.Fd, p, (nuint)buffer.Length, 0);
                if (received < 0) throw new NetlinkException(Errno.Last);
                for (int offset = 0; offset + 16 <= received;)
                {
                    int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
                    if (length < 16 || offset + length > received) return replies;
                    if (type == NlmsgDone) return replies;
                    if (type == NlmsgError)
                    {
                        int error = -BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 16));
                        if (error != 0) throw new NetlinkException(error);
                        return replies; // an acknowledgement
                    }
                    replies.Add(Attributes(buffer.AsSpan(offset + 20, length - 20)));
                    offset += Align(length);
                }
                if (!dump) return replies;
            }
        }

        private static Dictionary<ushort, byte[]> Attributes(ReadOnlySpan<byte> data)
        {
            var attributes = new Dictionary<ushort, byte[]>();
            for (int offset = 0; offset + 4 <= data.Length;)
            {
                int length = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
                ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]) & 0x3fff);
                if (length < 4 || offset + length > data.Length) break;
                attributes[type] = data.Slice(offset + 4, length - 4).ToArray();
                offset += Align(length);
            }
            return attributes;
        }

        private static byte[] Attribute(ushort type, byte[] value)
        {
            var attribute = new byte[Align(4 + value.Length)];
            BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
            value.CopyTo(attribute, 4);
            return attribute;
        }

        private static int Align(int length) => (length + 3) & ~3;

        public void Dispose() => _socket.Dispose();
    }

    internal sealed class NetlinkException : Exception
    {
        internal NetlinkException(int errno) : base($"netlink: {Interop.Errno.Describe(errno)}") => Code = errno;

        /// <summary>The errno the kernel answered with.</summary>
        internal int Code { get; }
    }
}

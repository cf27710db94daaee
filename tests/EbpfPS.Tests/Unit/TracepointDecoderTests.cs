using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using EbpfPS.Core.TraceFs;
using EbpfPS.Probes.Tracepoints;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Records made by hand in the layouts of recorded 6.18 formats, decoded field by field.</summary>
    public class TracepointDecoderTests
    {
        /// <summary>A raw record: the common header, then fields written at their offsets (little-endian).</summary>
        private sealed class Record
        {
            private readonly byte[] _bytes;

            internal Record(TracepointFormat format, int size)
            {
                _bytes = new byte[size];
                BinaryPrimitives.WriteUInt16LittleEndian(_bytes, (ushort)format.Id);
                BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(4), 4242);
            }

            internal Record U16(int offset, ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(offset), value); return this; }
            internal Record I32(int offset, int value) { BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(offset), value); return this; }
            internal Record U64(int offset, ulong value) { BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(offset), value); return this; }
            internal Record Bytes(int offset, byte[] value) { value.CopyTo(_bytes, offset); return this; }

            /// <summary>A __data_loc string: the text (NUL-terminated) at <paramref name="at"/>, its word at <paramref name="offset"/>.</summary>
            internal Record DataLoc(int offset, int at, string text)
            {
                var bytes = Encoding.UTF8.GetBytes(text + "\0");
                bytes.CopyTo(_bytes, at);
                return I32(offset, (bytes.Length << 16) | at);
            }

            internal byte[] Cut(int length) => _bytes[..length];
            internal byte[] Bytes() => _bytes;
        }

        private static Dictionary<string, object?> Decode(TracepointFormat format, byte[] record) =>
            new TracepointDecoder(format).Decode(record).ToDictionary(v => v.Name, v => v.Value);

        [Fact]
        public void Inet_sock_set_state_gives_addresses_host_order_ports_and_named_states()
        {
            var format = RecordedFormats.Read("sock", "inet_sock_set_state");
            var record = new Record(format, format.FixedSize)
                .U64(8, 0xffff888012345678).I32(16, 7).I32(20, 2)
                .U16(24, 54321).U16(26, 443).U16(28, 2).U16(30, 6)
                .Bytes(32, new byte[] { 127, 0, 0, 1 }).Bytes(36, new byte[] { 10, 1, 2, 3 })
                .Bytes(40, IPAddress.Parse("::ffff:127.0.0.1").GetAddressBytes()).Bytes(56, IPAddress.IPv6Loopback.GetAddressBytes());

            var fields = Decode(format, record.Bytes());

            Assert.Equal(0xffff888012345678UL, fields["skaddr"]);
            Assert.Equal("TCP_CLOSE", fields["oldstate"]);
            Assert.Equal(7L, fields["oldstateValue"]);
            Assert.Equal("TCP_SYN_SENT", fields["newstate"]);
            Assert.Equal(2L, fields["newstateValue"]);
            Assert.Equal((ushort)54321, fields["sport"]);
            Assert.Equal((ushort)443, fields["dport"]);
            Assert.Equal("AF_INET", fields["family"]);
            Assert.Equal(2L, fields["familyValue"]);
            Assert.Equal("IPPROTO_TCP", fields["protocol"]);
            Assert.Equal(6L, fields["protocolValue"]);
            // addresses as text, as ConvertTo-Json and Export-Csv should write them
            Assert.Equal("127.0.0.1", fields["saddr"]);
            Assert.Equal("10.1.2.3", fields["daddr"]);
            Assert.Equal("::ffff:127.0.0.1", fields["saddr_v6"]);
            Assert.Equal("::1", fields["daddr_v6"]);
            Assert.Equal(15, fields.Count); // 11 fields and 4 number twins
        }

        [Theory]
        [InlineData(2, "127.0.0.1", "10.1.2.3")]
        [InlineData(10, "::1", "2001:db8::7")]
        public void Socket_tracepoints_get_one_address_per_side_for_both_families(int family, string source, string destination)
        {
            var format = RecordedFormats.Read("sock", "inet_sock_set_state");
            Assert.True(SocketAddresses.Apply(format));
            // As the kernel fills them: IPv4 in saddr/daddr and mapped in the v6 fields; IPv6 only in the v6 fields.
            bool v6 = family == 10;
            var record = new Record(format, format.FixedSize).U16(28, (ushort)family)
                .Bytes(32, v6 ? new byte[4] : IPAddress.Parse(source).GetAddressBytes())
                .Bytes(36, v6 ? new byte[4] : IPAddress.Parse(destination).GetAddressBytes())
                .Bytes(40, (v6 ? IPAddress.Parse(source) : IPAddress.Parse(source).MapToIPv6()).GetAddressBytes())
                .Bytes(56, (v6 ? IPAddress.Parse(destination) : IPAddress.Parse(destination).MapToIPv6()).GetAddressBytes());

            var decoded = new TracepointDecoder(format).Decode(record.Bytes());
            SocketAddresses.Add(decoded);
            var fields = decoded.ToDictionary(v => v.Name, v => v.Value);

            Assert.Equal(source, fields["Source"]);
            Assert.Equal(destination, fields["Destination"]);
            Assert.False(SocketAddresses.Apply(RecordedFormats.Read("sched", "sched_process_exec")));
        }

        [Fact]
        public void A_number_without_a_symbol_keeps_the_number_as_its_name()
        {
            var format = RecordedFormats.Read("sock", "inet_sock_set_state");
            var fields = Decode(format, new Record(format, format.FixedSize).I32(20, 99).Bytes());
            Assert.Equal("99", fields["newstate"]);
            Assert.Equal(99L, fields["newstateValue"]);
        }

        [Fact]
        public void Sys_enter_openat_reads_each_argument_as_its_C_type()
        {
            var format = RecordedFormats.Read("syscalls", "sys_enter_openat");
            // AT_FDCWD as a 32-bit register leaves it: zero-extended in the 8-byte slot.
            var record = new Record(format, format.FixedSize)
                .I32(8, 257).U64(16, 0x00000000ffffff9c).U64(24, 0x00007ffd12345678).U64(32, 0x80241).U64(40, 0x1a4);

            var fields = Decode(format, record.Bytes());

            Assert.Equal(257, fields["__syscall_nr"]);
            Assert.Equal(-100, fields["dfd"]);
            Assert.Equal(0x00007ffd12345678UL, fields["filename"]);
            Assert.Equal(0x80241, fields["flags"]);
            Assert.Equal((ushort)0x1a4, fields["mode"]);

            var signExtended = Decode(format, record.U64(16, 0xffffffffffffff9c).Bytes());
            Assert.Equal(-100, signExtended["dfd"]);
        }

        [Fact]
        public void Sched_process_exec_reads_its_data_loc_filename()
        {
            var format = RecordedFormats.Read("sched", "sched_process_exec");
            var record = new Record(format, 40).DataLoc(8, 20, "/usr/bin/true").I32(12, 4242).I32(16, 4241);

            var fields = Decode(format, record.Bytes());

            Assert.Equal("/usr/bin/true", fields["filename"]);
            Assert.Equal(4242, fields["pid"]);
            Assert.Equal(4241, fields["old_pid"]);
        }

        [Fact]
        public void A_truncated_record_gives_empty_trailing_fields_and_keeps_every_property()
        {
            var format = RecordedFormats.Read("sched", "sched_process_exec");
            var record = new Record(format, 40).DataLoc(8, 20, "/usr/bin/true").I32(12, 4242).I32(16, 4241);

            var cut = Decode(format, record.Cut(18));
            Assert.Equal("", cut["filename"]); // the string lay past the cut
            Assert.Equal(4242, cut["pid"]);
            Assert.Null(cut["old_pid"]);

            var socket = RecordedFormats.Read("sock", "inet_sock_set_state");
            var cutSocket = Decode(socket, new Record(socket, socket.FixedSize).I32(16, 1).Cut(20));
            Assert.Equal("TCP_ESTABLISHED", cutSocket["oldstate"]);
            Assert.Null(cutSocket["newstate"]);
            Assert.Null(cutSocket["newstateValue"]);
            Assert.Null(cutSocket["daddr_v6"]);
            Assert.Equal(15, cutSocket.Count);
        }

        [Fact]
        public void Posix_lock_inode_names_its_flags_like_the_kernel_and_its_lock_type()
        {
            var format = RecordedFormats.Read("filelock", "posix_lock_inode");
            var record = new Record(format, format.FixedSize).I32(48, 4242).I32(52, 1 | 128).Bytes(56, new byte[] { 1 })
                .U64(64, 0).U64(72, unchecked((ulong)-1L)).I32(80, -11);

            var fields = Decode(format, record.Bytes());

            Assert.Equal("FL_POSIX|FL_SLEEP", fields["flags"]);
            Assert.Equal(129L, fields["flagsValue"]);
            Assert.Equal("F_WRLCK", fields["type"]);
            Assert.Equal(1L, fields["typeValue"]);
            Assert.Equal(4242u, fields["pid"]);
            Assert.Equal(-1L, fields["fl_end"]);
            Assert.Equal(-11, fields["ret"]);

            Assert.Equal("FL_POSIX|0x2000", Decode(format, record.I32(52, 0x2001).Bytes())["flags"]);
            Assert.Equal("", Decode(format, record.I32(52, 0).Bytes())["flags"]);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace EbpfPS.Tests.Support
{
    /// <summary>Ethernet frames built byte by byte, for the XDP program's parser: VLAN tags, IPv4, IPv6
    /// with extension headers, fragments, TCP, UDP, ICMP, and frames cut short at any byte.</summary>
    internal static class Frames
    {
        internal const ushort IPv4 = 0x0800, IPv6 = 0x86DD, Arp = 0x0806, Dot1Q = 0x8100, Dot1AD = 0x88A8;
        internal const byte Icmp = 1, Tcp = 6, Udp = 17, IcmpV6 = 58, HopByHop = 0, Routing = 43, Fragment = 44, DestinationOptions = 60, NoNextHeader = 59;

        internal static readonly byte[] SourceMac = { 0x02, 0, 0, 0, 0, 1 }, DestinationMac = { 0x02, 0, 0, 0, 0, 2 };

        internal static byte[] Ethernet(ushort type, byte[] payload, params ushort[] vlanTypes)
        {
            var frame = new List<byte>(DestinationMac.Concat(SourceMac));
            foreach (ushort tag in vlanTypes) { frame.AddRange(Be16(tag)); frame.AddRange(Be16(100)); }
            frame.AddRange(Be16(type));
            frame.AddRange(payload);
            return frame.ToArray();
        }

        /// <summary>An IPv4 packet; <paramref name="fragmentOffset"/> in 8-byte units.</summary>
        internal static byte[] IPv4Packet(string source, string destination, byte protocol, byte[] payload, int fragmentOffset = 0, bool moreFragments = false)
        {
            var header = new byte[20];
            header[0] = 0x45;
            Be16((ushort)(20 + payload.Length)).CopyTo(header, 2);
            Be16((ushort)((moreFragments ? 0x2000 : 0) | fragmentOffset)).CopyTo(header, 6);
            header[8] = 64;
            header[9] = protocol;
            IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 12);
            IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 16);
            return header.Concat(payload).ToArray();
        }

        /// <summary>An IPv6 packet whose payload starts with <paramref name="extensions"/> (each a next-header
        /// number and its bytes) and then the upper-layer <paramref name="protocol"/>.</summary>
        internal static byte[] IPv6Packet(string source, string destination, byte protocol, byte[] payload, params (byte Type, byte[] Bytes)[] extensions)
        {
            var body = new List<byte>();
            for (int i = 0; i < extensions.Length; i++)
            {
                byte next = i + 1 < extensions.Length ? extensions[i + 1].Type : protocol;
                var bytes = (byte[])extensions[i].Bytes.Clone();
                bytes[0] = next;
                body.AddRange(bytes);
            }
            body.AddRange(payload);
            var header = new byte[40];
            header[0] = 0x60;
            Be16((ushort)body.Count).CopyTo(header, 4);
            header[6] = extensions.Length > 0 ? extensions[0].Type : protocol;
            header[7] = 64;
            IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 8);
            IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 24);
            return header.Concat(body).ToArray();
        }

        /// <summary>An options extension header (hop-by-hop, routing, destination options) of 8 bytes.</summary>
        internal static (byte, byte[]) Options(byte type) => (type, new byte[8]);

        internal static (byte, byte[]) FragmentHeader(int offset, bool more)
        {
            var bytes = new byte[8];
            Be16((ushort)((offset << 3) | (more ? 1 : 0))).CopyTo(bytes, 2);
            return (Fragment, bytes);
        }

        internal static byte[] Ports(ushort source, ushort destination, int length)
        {
            var header = new byte[length];
            Be16(source).CopyTo(header, 0);
            Be16(destination).CopyTo(header, 2);
            return header;
        }

        internal static byte[] TcpSegment(ushort source, ushort destination) => Ports(source, destination, 20);
        internal static byte[] UdpDatagram(ushort source, ushort destination, int data = 8) => Ports(source, destination, 8 + data);
        internal static byte[] IcmpEcho(int data = 56) => new byte[] { 8, 0, 0, 0, 0, 1, 0, 1 }.Concat(new byte[data]).ToArray();

        internal static byte[] Udp4(string source, string destination, ushort sourcePort, ushort destinationPort) =>
            Ethernet(IPv4, IPv4Packet(source, destination, Udp, UdpDatagram(sourcePort, destinationPort)));

        internal static byte[] Tcp4(string source, string destination, ushort sourcePort, ushort destinationPort) =>
            Ethernet(IPv4, IPv4Packet(source, destination, Tcp, TcpSegment(sourcePort, destinationPort)));

        internal static byte[] Icmp4(string source, string destination) => Ethernet(IPv4, IPv4Packet(source, destination, Icmp, IcmpEcho()));

        internal static byte[] Cut(byte[] frame, int length) => frame.Take(length).ToArray();

        private static byte[] Be16(ushort value) => new[] { (byte)(value >> 8), (byte)value };
    }
}

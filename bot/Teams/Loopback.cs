using System.Net;

namespace TheModel.Bot.Teams;

/// <summary>This machine: where the Agents Playground and the tests' local servers live.</summary>
internal static class Loopback
{
    public static bool Is(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));

    public static bool Is(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}

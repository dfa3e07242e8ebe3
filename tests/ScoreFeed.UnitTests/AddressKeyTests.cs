using System.Net;
using ScoreFeed.Limits;

namespace ScoreFeed.UnitTests;

public sealed class AddressKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void A_client_is_its_IPv4_address_or_its_IPv6_64(string address, string key) =>
        Assert.Equal(key, AddressKey.Of(IPAddress.Parse(address)));

    [Fact]
    public void Addresses_of_one_IPv6_64_share_a_key_and_the_next_64_does_not()
    {
        var keys = Enumerable.Range(1, 50).Select(i => AddressKey.Of(IPAddress.Parse($"2001:db8:0:7:{i:x}::{i:x}"))).Distinct().ToList();

        Assert.Single(keys);
        Assert.NotEqual(keys[0], AddressKey.Of(IPAddress.Parse("2001:db8:0:8::1")));
        Assert.Equal(AddressKey.Unknown, AddressKey.Of(null));
    }
}

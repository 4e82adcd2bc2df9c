using Microsoft.Extensions.Configuration;
using TheModel.Api.Common;

namespace TheModel.Tests.Api.Common;

public class SettingListTests
{
    private sealed class Holder
    {
        public SettingList? Items { get; set; }
    }

    private static SettingList? Bind(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build()
            .GetSection("S").Get<Holder>()?.Items;

    [Fact]
    public void Bind_IndexedChildren_AreTheItems() =>
        Assert.Equal(["0.3", "0.6"], Bind(("S:Items:0", "0.3"), ("S:Items:1", "0.6")));

    [Fact]
    public void Bind_OneSeparatedValue_IsSplit() =>
        Assert.Equal(["0.25", "0.75", "0.9"], Bind(("S:Items", "0.25, 0.75;0.9")));

    [Fact]
    public void Bind_EmptyValue_IsAnEmptyList() => Assert.Equal([], Bind(("S:Items", "")));

    [Fact]
    public void Bind_KeyAbsent_LeavesNull() => Assert.Null(Bind(("S:Other", "1")));
}

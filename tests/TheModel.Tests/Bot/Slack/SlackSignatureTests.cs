using System.Text;
using System.Text.Json;
using TheModel.Bot.Slack;

namespace TheModel.Tests.Bot.Slack;

public class SlackSignatureTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(SlackTestKit.Fixture("signature_vectors.json")).RootElement;
    private static readonly JsonElement Official = Vectors.GetProperty("official_vector");
    private static readonly byte[] OfficialBody = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "slack", "slash_command_signed_body.txt"));

    private static string Secret => Official.GetProperty("signing_secret").GetString()!;
    private static string Timestamp => Official.GetProperty("x_slack_request_timestamp").GetString()!;
    private static string Signature => Official.GetProperty("x_slack_signature").GetString()!;
    private static DateTimeOffset At(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix);

    [Fact]
    public void Verify_SlacksOfficialExample_IsValid()
    {
        Assert.Equal(362, OfficialBody.Length);
        Assert.Equal(Signature, SlackSignature.Sign(Secret, Timestamp, OfficialBody));
        Assert.True(SlackSignature.Verify([Secret], Timestamp, Signature, OfficialBody, At(Official.GetProperty("verify_now_unix").GetInt64())));
    }

    public static TheoryData<string> NegativeCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Vectors.GetProperty("negative_cases_derived_from_official").EnumerateArray())
        {
            data.Add(c.GetProperty("case").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(NegativeCases))]
    public void Verify_DerivedCase_GivesTheExpectedVerdict(string name)
    {
        var c = Vectors.GetProperty("negative_cases_derived_from_official").EnumerateArray().Single(x => x.GetProperty("case").GetString() == name);
        var body = c.TryGetProperty("body_suffix", out var suffix) ? [.. OfficialBody, .. Encoding.UTF8.GetBytes(suffix.GetString()!)] : OfficialBody;
        var signature = c.TryGetProperty("x_slack_signature", out var s) ? s.GetString()! : Signature;
        var now = c.TryGetProperty("verify_now_unix", out var n) ? n.GetInt64() : Official.GetProperty("verify_now_unix").GetInt64();
        Assert.Equal(c.GetProperty("expect").GetString() == "valid", SlackSignature.Verify([Secret], Timestamp, signature, body, At(now)));
    }

    [Fact]
    public void Verify_FutureTimestampBeyondWindow_IsInvalid()
    {
        Assert.False(SlackSignature.Verify([Secret], Timestamp, Signature, OfficialBody, At(1531420618 - 301)));
        Assert.True(SlackSignature.Verify([Secret], Timestamp, Signature, OfficialBody, At(1531420618 - 299)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1531420618.5")]
    [InlineData("-1531420618")]
    [InlineData("abc")]
    public void Verify_MissingOrNonIntegerTimestamp_IsInvalid(string? timestamp) =>
        Assert.False(SlackSignature.Verify([Secret], timestamp, Signature, OfficialBody, At(1531420618)));

    [Fact]
    public void Verify_WithSeveralSecrets_AcceptsAnyOfThem_AndRefusesWithNone()
    {
        Assert.True(SlackSignature.Verify(["other-secret", Secret], Timestamp, Signature, OfficialBody, At(1531420618)));
        Assert.False(SlackSignature.Verify(["other-secret"], Timestamp, Signature, OfficialBody, At(1531420618)));
        Assert.False(SlackSignature.Verify([], Timestamp, Signature, OfficialBody, At(1531420618)));
        Assert.False(SlackSignature.Verify([Secret], Timestamp, null, OfficialBody, At(1531420618)));
    }

    public static TheoryData<string> DerivedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Vectors.GetProperty("derived_signatures_NOT_FROM_SLACK").GetProperty("files").EnumerateObject())
        {
            data.Add(file.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DerivedFiles))]
    public void Sign_EachFixtureBody_MatchesTheDerivedSignature(string file)
    {
        var expected = Vectors.GetProperty("derived_signatures_NOT_FROM_SLACK").GetProperty("files").GetProperty(file);
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "slack", file));
        Assert.Equal(expected.GetProperty("body_length_bytes").GetInt32(), body.Length);
        Assert.True(SlackSignature.Verify([Secret], expected.GetProperty("x_slack_request_timestamp").GetString(),
            expected.GetProperty("x_slack_signature").GetString(), body, At(1531420618)));
    }
}

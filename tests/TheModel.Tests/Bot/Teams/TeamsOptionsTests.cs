using TheModel.Bot.Teams;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Teams;

/// <summary>The <c>Teams</c> section is checked at start, and a wrong value names its key.</summary>
public class TeamsOptionsTests
{
    private static IReadOnlyList<string> FailuresOf(TeamsOptions options) =>
        new TeamsOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.Empty(FailuresOf(new TeamsOptions()));
    }

    [Fact]
    public void Validate_LocalHttpMetadata_Passes()
    {
        Assert.Empty(FailuresOf(new TeamsOptions { AppId = "app", OpenIdMetadataUrl = "http://127.0.0.1:5123/v1/.well-known/openidconfiguration" }));
    }

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("")]
    public void Validate_MetadataNotHttps_NamesTheKey(string url)
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { OpenIdMetadataUrl = url }));
        Assert.StartsWith("Teams:OpenIdMetadataUrl ", failure);
    }

    [Fact]
    public void Validate_PasswordWithoutAppId_NamesBothKeys()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { AppPassword = "secret" }));
        Assert.Contains("Teams:AppPassword", failure);
        Assert.Contains("Teams:AppId", failure);
    }

    [Fact]
    public void Validate_NoActivityBytes_NamesTheKey()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { MaxActivityBytes = 0 }));
        Assert.StartsWith("Teams:MaxActivityBytes ", failure);
    }

    [Fact]
    public void Validate_TrustedHostWithAScheme_NamesTheEntry()
    {
        var failure = Assert.Single(FailuresOf(new TeamsOptions { TrustedServiceHosts = ["connector.example.com", "https://bad.example.com/"] }));
        Assert.StartsWith("Teams:TrustedServiceHosts:1 ", failure);
    }

    [Theory]
    [InlineData("Teams:OpenIdMetadataUrl", "http://login.example.com/v1/.well-known/openidconfiguration")]
    [InlineData("Teams:AppPassword", "secret-without-an-app-id")]
    [InlineData("Teams:MaxActivityBytes", "0")]
    public async Task AddTeams_BadTeamsConfiguration_RefusesToStartNamingTheKey(string key, string value)
    {
        await using var app = new TheModelApp();
        app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, error.ToString());
    }
}

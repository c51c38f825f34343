using Blog.MailingList;

namespace Blog.Tests.MailingList;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ann@example.com", "ann@example.com")]
    [InlineData("  Ann.Lee+news@Example.COM ", "Ann.Lee+news@example.com")]
    [InlineData("bob@bücher.de", "bob@xn--bcher-kva.de")]
    [InlineData("bob@BÜCHER.de", "bob@xn--bcher-kva.de")]
    [InlineData("x@sub.example.co.uk", "x@sub.example.co.uk")]
    public void Addresses_are_normalised_on_the_domain_only(string input, string expected)
    {
        Assert.True(EmailAddress.TryParse(input, out var address, out var error), error);
        Assert.Equal(expected, address.Value);
    }

    [Fact]
    public void The_local_part_keeps_its_case_and_the_domain_does_not()
    {
        Assert.Equal(EmailAddress.Parse("Ann@EXAMPLE.com"), EmailAddress.Parse("Ann@example.COM"));
        Assert.NotEqual(EmailAddress.Parse("Ann@example.com"), EmailAddress.Parse("ann@example.com"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ann", "needs a name, @ and a domain")]
    [InlineData("ann@", "needs a name, @ and a domain")]
    [InlineData("@example.com", "needs a name, @ and a domain")]
    [InlineData("ann@localhost", "full domain")]
    [InlineData("ann@example.com\r\nBcc: victim@example.org", "control character")]
    [InlineData("ann@exa\nmple.com", "control character")]
    [InlineData("ann\u0000@example.com", "control character")]
    [InlineData("Ann <ann@example.com>", "not a valid email address")]
    [InlineData("ann@example.com, bob@example.com", "not a valid email address")]
    [InlineData("ann smith@example.com", "not a valid email address")]
    [InlineData("ann@[127.0.0.1]", "IP literal")]
    [InlineData("jörg@example.com", "plain ASCII")]
    [InlineData("ann@exa_mple..com", "not a valid")]
    public void Bad_addresses_get_a_reason(string input, string reason)
    {
        Assert.False(EmailAddress.TryParse(input, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_over_254_characters_are_refused_before_and_after_normalising()
    {
        var local = new string('a', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.False(EmailAddress.TryParse($"{local}@{domain}", out _, out var error));
        Assert.Contains("longer than 254", error, StringComparison.Ordinal);

        // Short as typed, too long once the IDN domain is spelled in ASCII.
        var idn = string.Join('.', Enumerable.Repeat(new string('b', 40) + new string('ü', 5), 4)) + ".de";
        var typed = $"{new string('a', 40)}@{idn}";
        Assert.True(typed.Length < 254);
        Assert.False(EmailAddress.TryParse(typed, out _, out error));
        Assert.Contains("254", error, StringComparison.Ordinal);
    }
}

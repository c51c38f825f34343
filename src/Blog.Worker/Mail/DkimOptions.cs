namespace Blog.Mail;

/// <summary>The <c>Mail:Dkim</c> section: signing is on when all three are set.</summary>
public sealed class DkimOptions
{
    public string Domain { get; set; } = "";
    public string Selector { get; set; } = "";

    /// <summary>The private key, PEM (PKCS#1 or PKCS#8).</summary>
    public string PrivateKeyPath { get; set; } = "";

    public bool Enabled => Domain.Length > 0 || Selector.Length > 0 || PrivateKeyPath.Length > 0;
}

namespace Blog.Admin.Access;

/// <summary>What a name and a password must be, checked before anything is stored.</summary>
public static class AccountRules
{
    public const int MaxNameLength = 64;

    public const int MinPasswordLength = 12;

    /// <summary>Long enough for any passphrase; a hostile form cannot make the hash work on megabytes.</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>
    /// The name as stored and compared: lower case. ASCII only, so two names that look alike are the same name or
    /// visibly different; case-folding Unicode would need rules no log reader shares.
    /// </summary>
    /// <exception cref="AdminAccountException">The name breaks the rules.</exception>
    public static string Name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            throw new AdminAccountException($"name \"{Shown(name)}\": use 1 to {MaxNameLength} characters: ASCII letters, digits, '.', '-', '_' or '@'");
        return name.ToLowerInvariant();
    }

    /// <exception cref="AdminAccountException">The password breaks the rules.</exception>
    public static void Password(string name, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinPasswordLength)
            throw new AdminAccountException($"the password is too short: use at least {MinPasswordLength} characters");
        if (password.Length > MaxPasswordLength)
            throw new AdminAccountException($"the password is too long: use at most {MaxPasswordLength} characters");
        if (string.Equals(password.Trim(), name, StringComparison.OrdinalIgnoreCase))
            throw new AdminAccountException("the password must not be the account's name");
    }

    // A name from a hostile form is shown back bounded.
    private static string Shown(string name) => name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name;
}

namespace Blog.Admin;

/// <summary>The console's pages, in the order the navigation shows them.</summary>
internal enum AdminSection
{
    None,
    Overview,
    Subscribers,
    Runs,
    Posts,
    Readership,
    Health,
    Account,
}

namespace Blog.Admin.Access;

/// <summary>How many failed sign-ins in a row lock an account or a client, and for how long.</summary>
public sealed record SignInLimits(int MaxFailures, TimeSpan LockoutTime)
{
    public static SignInLimits Of(AdminOptions options) => new(options.MaxFailedSignIns, options.LockoutTime);
}

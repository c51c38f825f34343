namespace Blog.Subscriptions;

/// <summary>What a link may do. A token made for one purpose is refused for every other.</summary>
public enum TokenPurpose
{
    /// <summary>Activates a pending subscriber; expires.</summary>
    Confirm,

    /// <summary>Unsubscribes; never expires, so an old mail's link still works.</summary>
    Unsubscribe,

    /// <summary>Opens the preferences; never expires.</summary>
    Preferences,
}

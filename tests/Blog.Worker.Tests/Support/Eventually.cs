namespace Blog.Tests.Support;

/// <summary>Waits for something a background service does; fails the test when it does not happen in time.</summary>
public static class Eventually
{
    public static async Task Until(Func<bool> condition, string what = "the condition", int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not hold within {seconds} s");
            await Task.Delay(25);
        }
    }

    public static async Task Until(Func<Task<bool>> condition, string what = "the condition", int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not hold within {seconds} s");
            await Task.Delay(25);
        }
    }
}

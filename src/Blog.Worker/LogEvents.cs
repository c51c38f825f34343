namespace Blog;

/// <summary>
/// Every log event id, in one list, so an id names one event across the whole service: a log search or an alert can
/// key on it. A feature owns a block of 100 (Posts 100, Feeds 200, …); an event keeps its number once released, and a
/// retired one is not reused.
/// </summary>
internal static class LogEvents
{
    /// <summary><c>Serving/LiveSite</c>.</summary>
    public static class LiveSite
    {
        public const int IndexFailed = 301;
    }

    /// <summary><c>Hosting/FeedRefreshService</c>.</summary>
    public static class FeedRefreshService
    {
        public const int Published = 401;
        public const int PostSkipped = 402;
        public const int PostFixed = 403;
        public const int StoreUnreadable = 404;
        public const int StoreBack = 405;
        public const int WatcherUnavailable = 406;
        public const int UpdateFailed = 407;
        public const int OutputUnwritable = 408;
        public const int OutputBack = 409;
    }

    /// <summary><c>WebSub/HubNotifier</c>.</summary>
    public static class HubNotifier
    {
        public const int Pinged = 501;
        public const int Retrying = 502;
        public const int GaveUp = 503;
        public const int StoreFailed = 504;
        public const int StoreDown = 505;
        public const int StoreBack = 506;
    }

    /// <summary><c>Storage/PostgresDatabase</c>.</summary>
    public static class PostgresDatabase
    {
        public const int Migrated = 601;
        public const int Merged = 602;
    }

    /// <summary><c>Storage/SqliteDatabase</c>.</summary>
    public static class SqliteDatabase
    {
        public const int Migrated = 603;
        public const int Merged = 604;
        public const int OrphansRemoved = 605;
    }

    /// <summary><c>Mail/DeliveryPipeline</c>.</summary>
    public static class DeliveryPipeline
    {
        public const int Sent = 701;
        public const int Deferred = 702;
        public const int Failed = 703;
        public const int Paused = 704;
        public const int Stopped = 705;
        public const int LeaseRanOut = 706;
    }

    /// <summary><c>Mail/DeliveryPolling</c>.</summary>
    public static class DeliveryPolling
    {
        public const int StoreFailed = 707;
        public const int RoundFailed = 708;
    }

    /// <summary><c>Mail/OutboxRounds</c>.</summary>
    public static class OutboxRounds
    {
        public const int Round = 709;
    }

    /// <summary><c>Mail/SmtpMailTransport</c>.</summary>
    public static class SmtpMailTransport
    {
        public const int Connected = 710;
    }

    /// <summary><c>Digests/DigestJob</c>.</summary>
    public static class DigestJob
    {
        public const int Planned = 801;
        public const int Resumed = 802;
        public const int AlreadyPlanned = 803;
    }

    /// <summary><c>Digests/DigestRounds</c>.</summary>
    public static class DigestRounds
    {
        public const int Round = 804;
        public const int Resumed = 805;
    }

    /// <summary><c>Subscriptions/PageFailure</c>.</summary>
    public static class PageFailure
    {
        public const int Failed = 901;
    }

    /// <summary><c>Subscriptions/SignUpEndpoints</c>.</summary>
    public static class SignUpEndpoints
    {
        public const int Confirmed = 902;
        public const int Honeypot = 903;
        public const int BacklogFull = 904;
        public const int WelcomeFailed = 911;
    }

    /// <summary><c>Subscriptions/SignUpWorker</c>.</summary>
    public static class SignUpWorker
    {
        public const int SignedUp = 905;
        public const int Failed = 906;
        public const int Abandoned = 907;
        public const int StoreDown = 908;
        public const int StoreBack = 909;
    }

    /// <summary><c>Subscriptions/UnsubscribeEndpoints</c>.</summary>
    public static class UnsubscribeEndpoints
    {
        public const int Unsubscribed = 910;
    }

    /// <summary><c>Feedback/FeedbackRecorder</c>.</summary>
    public static class FeedbackRecorder
    {
        public const int Applied = 1101;
        public const int Duplicate = 1102;
        public const int NoSubscriber = 1103;
        public const int ComplaintRate = 1104;
        public const int HardBounceRate = 1105;
        public const int AlertFailed = 1106;
    }

    /// <summary><c>Inbox/InboxPass</c>.</summary>
    public static class InboxPass
    {
        public const int Passed = 1201;
        public const int TooLarge = 1202;
        public const int Unreadable = 1203;
        public const int Unhandled = 1204;
        public const int Failed = 1205;
        public const int BatchFailed = 1206;
    }

    /// <summary><c>Inbox/InboxService</c>.</summary>
    public static class InboxService
    {
        public const int Unreachable = 1210;
        public const int Back = 1211;
    }

    /// <summary><c>Inbox/ImapMailbox</c>.</summary>
    public static class ImapMailbox
    {
        public const int FolderCreated = 1220;
        public const int Idling = 1221;
    }

    /// <summary><c>Webhooks/WebhookEndpoint</c>.</summary>
    public static class WebhookEndpoint
    {
        public const int Received = 1301;
        public const int Refused = 1302;
        public const int Replayed = 1303;
        public const int Failed = 1304;
        public const int Pruned = 1311;
    }

    /// <summary><c>Webhooks/SesWebhook</c>.</summary>
    public static class SesWebhook
    {
        public const int SubscriptionConfirmed = 1305;
        public const int SubscriptionRefused = 1306;
        public const int Unsubscribed = 1307;
    }

    /// <summary><c>Webhooks/SnsFetcher</c>.</summary>
    public static class SnsFetcher
    {
        public const int CertificateFailed = 1308;
        public const int ConfirmFailed = 1309;
        public const int CertificateUntrusted = 1310;
    }

    /// <summary><c>Admin/Access/AccessEndpoints</c>.</summary>
    public static class AccessEndpoints
    {
        public const int SignedIn = 1400;
        public const int Failed = 1401;
        public const int LockedOut = 1402;
        public const int FirstAccount = 1403;
        public const int PasswordChanged = 1404;
        public const int SignedOutEverywhere = 1405;
    }

    /// <summary><c>Admin/Access/SetupLink</c>.</summary>
    public static class SetupLink
    {
        public const int Created = 1410;
        public const int Failed = 1411;
    }

    /// <summary><c>Admin/Subscribers/SubscriberActions</c>.</summary>
    public static class SubscriberActions
    {
        public const int PreferencesChanged = 1501;
        public const int Unsubscribed = 1502;
        public const int ConfirmationResent = 1503;
        public const int Forgotten = 1504;
    }

    /// <summary><c>Admin/Overview/SubscriberSnapshots</c>.</summary>
    public static class SubscriberSnapshots
    {
        public const int Reconstructed = 1601;
        public const int Failed = 1602;
    }
}

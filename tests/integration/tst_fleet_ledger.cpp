// The fleet's shared ledgers against a real nats-server: the idempotency ledger (claim, finalize,
// release, exists, concurrent claims, in_doubt, resolve, reconciliation) and the customer windows
// (compare-and-swap, conflicts, giving up). Ends with the round-trip latencies, printed.
#include "fleet_test_support.h"

#include "fleet/customer_window_store.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/nats_idempotency_ledger.h"

#include <QElapsedTimer>
#include <QtTest>

#include <atomic>
#include <future>
#include <thread>

using namespace tai::fleet;
using namespace std::chrono_literals;

class TestFleetLedger : public QObject {
    Q_OBJECT

    std::unique_ptr<NatsTestServer> server_;
    int fleets_ = 0;

    // Every test gets its own fleet, so its buckets start empty.
    QString freshFleet() { return QStringLiteral("ledger%1").arg(++fleets_); }
    std::shared_ptr<FleetConnection> connect(const QString& fleet, const QString& instance) {
        auto connection = fleet_test::open(fleet_test::config(*server_, fleet, instance));
        return connection && fleet_test::waitConnected(*connection) ? connection : nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        server_ = std::make_unique<NatsTestServer>();
        QVERIFY2(server_->running(), server_->log().constData());
    }
    void cleanupTestCase() { server_.reset(); }

    void claimThenFinalizeAnswersRetriesWithTheStoredResponse() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        NatsIdempotencyLedger ledger1(i1), ledger2(i2);

        const ClaimResult claimed = ledger1.claim("order-17", "hash-a");
        QCOMPARE(claimed.kind, ClaimResult::Kind::Claimed);
        QVERIFY(claimed.claim.revision > 0);
        QCOMPARE(claimed.claim.owner, QString("i1"));

        auto inFlight = ledger2.lookup("order-17");
        QVERIFY(inFlight.ok() && inFlight.value());
        QCOMPARE(inFlight.value()->state, ClaimState::InFlight);

        const ClaimResult whileInFlight = ledger2.claim("order-17", "hash-a");
        QCOMPARE(whileInFlight.kind, ClaimResult::Kind::Exists);
        QCOMPARE(verdictFor(whileInFlight.existing, "hash-a"), ExistingVerdict::StillProcessing);

        const LedgerWriteResult finalized = ledger1.finalize(claimed.claim, R"({"status":"approved"})");
        QCOMPARE(finalized.kind, LedgerWriteResult::Kind::Written);
        QVERIFY(finalized.revision > claimed.claim.revision);

        const ClaimResult retry = ledger2.claim("order-17", "hash-a");
        QCOMPARE(retry.kind, ClaimResult::Kind::Exists);
        QCOMPARE(retry.existing.state, ClaimState::Done);
        QCOMPARE(retry.existing.owner, QString("i1"));
        QCOMPARE(retry.existing.response, QByteArray(R"({"status":"approved"})"));
        QCOMPARE(verdictFor(retry.existing, "hash-a"), ExistingVerdict::Duplicate);
        QCOMPARE(verdictFor(retry.existing, "hash-b"), ExistingVerdict::BodyMismatch);

        // A decided key is never released.
        const LedgerWriteResult release = ledger1.release(claimed.claim);
        QCOMPARE(release.kind, LedgerWriteResult::Kind::Conflict);
        QVERIFY(ledger2.lookup("order-17").value().has_value());
    }

    void releaseFreesTheKeyForTheNextClaim() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        NatsIdempotencyLedger ledger1(i1), ledger2(i2);

        const ClaimResult first = ledger1.claim("k-queue-full", "h");
        QCOMPARE(first.kind, ClaimResult::Kind::Claimed);
        QCOMPARE(ledger1.release(first.claim).kind, LedgerWriteResult::Kind::Written);
        QVERIFY(!ledger2.lookup("k-queue-full").value().has_value());
        // Releasing twice is harmless: the key is already free.
        QCOMPARE(ledger1.release(first.claim).kind, LedgerWriteResult::Kind::Written);

        // The next claim writes over the delete marker.
        const ClaimResult second = ledger2.claim("k-queue-full", "h");
        QCOMPARE(second.kind, ClaimResult::Kind::Claimed);
        QCOMPARE(second.claim.owner, QString("i2"));
        QVERIFY(second.claim.revision > first.claim.revision);
        // The first claim's finalize cannot land on the second claim.
        const LedgerWriteResult stale = ledger1.finalize(first.claim, "late");
        QCOMPARE(stale.kind, LedgerWriteResult::Kind::Conflict);
        QVERIFY(stale.current.has_value());
        QCOMPARE(stale.current->owner, QString("i2"));
    }

    void concurrentClaimsOfOneKeyHaveExactlyOneWinner() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        NatsIdempotencyLedger ledger1(i1), ledger2(i2);
        QCOMPARE(ledger1.claim("warm-up", "h").kind, ClaimResult::Kind::Claimed);  // the bucket exists

        constexpr int kKeys = 60;
        for (int k = 0; k < kKeys; ++k) {
            const QString key = QStringLiteral("race-%1").arg(k);
            std::atomic<int> ready{0};
            const auto racer = [&ready, &key](NatsIdempotencyLedger& ledger) {
                ++ready;
                while (ready.load() < 2) {
                }
                return ledger.claim(key, "same-body");
            };
            auto a = std::async(std::launch::async, racer, std::ref(ledger1));
            auto b = std::async(std::launch::async, racer, std::ref(ledger2));
            const ClaimResult ra = a.get();
            const ClaimResult rb = b.get();
            const int winners =
                (ra.kind == ClaimResult::Kind::Claimed) + (rb.kind == ClaimResult::Kind::Claimed);
            QCOMPARE(winners, 1);
            const ClaimResult& loser = ra.kind == ClaimResult::Kind::Claimed ? rb : ra;
            const ClaimResult& winner = ra.kind == ClaimResult::Kind::Claimed ? ra : rb;
            QCOMPARE(loser.kind, ClaimResult::Kind::Exists);
            QCOMPARE(loser.existing.claimId, winner.claim.claimId);
            QCOMPARE(loser.existing.owner, winner.claim.owner);
        }
    }

    void aClaimWhoseOwnerWentQuietIsInDoubtUntilResolved() {
        const QString fleet = freshFleet();
        auto dead = connect(fleet, "i1");
        auto controller = connect(fleet, "i2");
        auto client = connect(fleet, "i3");
        QVERIFY(dead && controller && client);
        NatsIdempotencyLedger owner(dead), sweep(controller), retries(client);

        QCOMPARE(owner.claim("k-lost", "h1").kind, ClaimResult::Kind::Claimed);
        QCOMPARE(owner.claim("k-charged", "h2").kind, ClaimResult::Kind::Claimed);
        dead.reset();  // the owner is gone; its claims stay in flight

        auto unsettled = sweep.unsettled({});
        QVERIFY2(unsettled.ok(), qPrintable(unsettled.error().message));
        QCOMPARE(unsettled.value().size(), std::size_t{2});
        for (const LedgerEntry& entry : unsettled.value()) {
            QCOMPARE(sweep.markInDoubt(entry).kind, LedgerWriteResult::Kind::Written);
            // A second sweep working from the same read loses: the entry moved on.
            QCOMPARE(sweep.markInDoubt(entry).kind, LedgerWriteResult::Kind::Conflict);
        }

        const ClaimResult blocked = retries.claim("k-lost", "h1");
        QCOMPARE(blocked.kind, ClaimResult::Kind::Exists);
        QCOMPARE(blocked.existing.state, ClaimState::InDoubt);
        QCOMPARE(verdictFor(blocked.existing, "h1"), ExistingVerdict::InDoubt);

        // The operator: one was never charged, the other was.
        QCOMPARE(sweep.resolve("k-lost", Resolution::Release, {}).kind, LedgerWriteResult::Kind::Written);
        QCOMPARE(sweep.resolve("k-charged", Resolution::MarkDone, "receipt-9").kind,
                 LedgerWriteResult::Kind::Written);
        QCOMPARE(sweep.resolve("k-charged", Resolution::Release, {}).kind, LedgerWriteResult::Kind::Conflict);

        QCOMPARE(retries.claim("k-lost", "h1").kind, ClaimResult::Kind::Claimed);
        const ClaimResult charged = retries.claim("k-charged", "h2");
        QCOMPARE(charged.kind, ClaimResult::Kind::Exists);
        QCOMPARE(verdictFor(charged.existing, "h2"), ExistingVerdict::Duplicate);
        QCOMPARE(charged.existing.response, QByteArray("receipt-9"));
    }

    void theOwnerFinalizesAClaimMarkedInDoubtMeanwhile() {
        const QString fleet = freshFleet();
        auto slow = connect(fleet, "i1");
        auto controller = connect(fleet, "i2");
        QVERIFY(slow && controller);
        NatsIdempotencyLedger owner(slow), sweep(controller);
        const ClaimResult claimed = owner.claim("k-slow", "h");
        QCOMPARE(claimed.kind, ClaimResult::Kind::Claimed);
        auto seen = sweep.lookup("k-slow");
        QCOMPARE(sweep.markInDoubt(*seen.value()).kind, LedgerWriteResult::Kind::Written);

        QCOMPARE(owner.finalize(claimed.claim, "approved").kind, LedgerWriteResult::Kind::Written);
        auto after = sweep.lookup("k-slow");
        QCOMPARE(after.value()->state, ClaimState::Done);
        QCOMPARE(after.value()->response, QByteArray("approved"));
    }

    void restartReconciliationListsTheClaimsAnInstanceOwns() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        NatsIdempotencyLedger ledger1(i1), ledger2(i2);
        const ClaimResult decided = ledger1.claim("k1", "h");
        QCOMPARE(ledger1.finalize(decided.claim, "r").kind, LedgerWriteResult::Kind::Written);
        QCOMPARE(ledger1.claim("k2", "h").kind, ClaimResult::Kind::Claimed);
        QCOMPARE(ledger1.claim("k3", "h").kind, ClaimResult::Kind::Claimed);
        QCOMPARE(ledger2.claim("k4", "h").kind, ClaimResult::Kind::Claimed);

        // After a restart, i1 (a new connection, same id) finds what it never decided.
        i1.reset();
        auto restarted = connect(fleet, "i1");
        NatsIdempotencyLedger again(restarted);
        auto owned = again.unsettled("i1");
        QVERIFY2(owned.ok(), qPrintable(owned.error().message));
        QStringList keys;
        for (const LedgerEntry& entry : owned.value()) {
            keys << entry.key;
            QCOMPARE(entry.state, ClaimState::InFlight);
        }
        keys.sort();
        QCOMPARE(keys, QStringList({"k2", "k3"}));
        // It decides one and releases the other, from the listed entries alone.
        QCOMPARE(again.finalize(LedgerClaim::from(owned.value()[0]), "r2").kind,
                 LedgerWriteResult::Kind::Written);
        QCOMPARE(again.release(LedgerClaim::from(owned.value()[1])).kind, LedgerWriteResult::Kind::Written);
        QCOMPARE(again.unsettled("i1").value().size(), std::size_t{0});
    }

    void badInputIsRefusedWithAReason() {
        auto i1 = connect(freshFleet(), "i1");
        QVERIFY(i1);
        NatsIdempotencyLedger ledger(i1);
        const ClaimResult noKey = ledger.claim({}, "h");
        QCOMPARE(noKey.kind, ClaimResult::Kind::Unavailable);
        QCOMPARE(noKey.error.kind, FleetError::Kind::InvalidArgument);
        QVERIFY(noKey.error.message.contains("key"));
        // Any key is fine, however hostile: it is hashed into k.<sha256>.
        QCOMPARE(ledger.claim(QStringLiteral("../../*>\n\u00e9").repeated(40), "h").kind,
                 ClaimResult::Kind::Claimed);
    }

    void windowUpdatesStoreWhatTheEvaluatorReturns() {
        auto i1 = connect(freshFleet(), "i1");
        QVERIFY(i1);
        CustomerWindowStore windows(i1);
        const auto append = [](const std::optional<QByteArray>& current) -> std::optional<QByteArray> {
            return current.value_or(QByteArray()) + "x";
        };
        WindowUpdateResult first = windows.update("cust-1", append);
        QCOMPARE(first.kind, WindowUpdateResult::Kind::Stored);
        QCOMPARE(first.attempts, 1);
        QCOMPARE(windows.update("cust-1", append).kind, WindowUpdateResult::Kind::Stored);
        QCOMPARE(windows.read("cust-1").value().value, std::optional<QByteArray>("xx"));

        const WindowUpdateResult nothing = windows.update(
            "cust-1", [](const std::optional<QByteArray>&) { return std::optional<QByteArray>(); });
        QCOMPARE(nothing.kind, WindowUpdateResult::Kind::Unchanged);
        QVERIFY(!windows.read("someone-new").value().value.has_value());

        // A compare-and-swap at an old revision loses; a create over an existing window too.
        QCOMPARE(windows.compareAndSet("cust-1", "y", first.revision).error().kind,
                 FleetError::Kind::Conflict);
        QCOMPARE(windows.compareAndSet("cust-1", "y", 0).error().kind, FleetError::Kind::Conflict);
        QCOMPARE(windows.update({}, append).error.kind, FleetError::Kind::InvalidArgument);
    }

    void concurrentWindowUpdatesLoseNothing() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        CustomerWindowStore a(i1), b(i2);
        constexpr int kEach = 25;
        std::atomic<int> retried{0};
        std::atomic<int> gaveUp{0};
        std::atomic<int> otherwise{0};
        const auto hammer = [&](CustomerWindowStore& store, char mark) {
            int stored = 0;
            for (int i = 0; i < kEach; ++i) {
                const WindowUpdateResult r =
                    store.update("shared", [mark](const std::optional<QByteArray>& current) {
                        return std::optional<QByteArray>(current.value_or(QByteArray()) + mark);
                    });
                stored += r.kind == WindowUpdateResult::Kind::Stored ? 1 : 0;
                gaveUp += r.kind == WindowUpdateResult::Kind::GaveUp ? 1 : 0;
                otherwise +=
                    r.kind != WindowUpdateResult::Kind::Stored && r.kind != WindowUpdateResult::Kind::GaveUp;
                retried += r.attempts - 1;
            }
            return stored;
        };
        auto ra = std::async(std::launch::async, hammer, std::ref(a), 'a');
        auto rb = std::async(std::launch::async, hammer, std::ref(b), 'b');
        const int storedA = ra.get();
        const int storedB = rb.get();
        const QByteArray window = a.read("shared").value().value.value_or(QByteArray());
        // Every stored update is in the window exactly once: a lost race re-evaluated, never overwrote.
        QCOMPARE(window.count('a'), storedA);
        QCOMPARE(window.count('b'), storedB);
        QCOMPARE(storedA + storedB + gaveUp.load(), 2 * kEach);  // each update either stored or gave up
        QCOMPARE(otherwise.load(), 0);
        QVERIFY(storedA > 0 && storedB > 0);
        qInfo("concurrent window updates: %d stored, %d gave up, %d re-evaluations after a lost race",
              storedA + storedB, gaveUp.load(), retried.load());
    }

    void aWindowThatKeepsMovingGivesUpDistinctly() {
        const QString fleet = freshFleet();
        auto i1 = connect(fleet, "i1");
        auto i2 = connect(fleet, "i2");
        QVERIFY(i1 && i2);
        CustomerWindowStore::Options options;
        options.attempts = 3;
        CustomerWindowStore loser(i1, options), rival(i2, options);
        int evaluations = 0;
        const WindowUpdateResult result = loser.update("busy", [&](const std::optional<QByteArray>& current) {
            ++evaluations;
            // Between our read and our write, another instance writes every time.
            const WindowRead now = rival.read("busy").value();
            (void)rival.compareAndSet("busy", "rival", now.revision);
            return std::optional<QByteArray>(current.value_or(QByteArray()) + "mine");
        });
        QCOMPARE(result.kind, WindowUpdateResult::Kind::GaveUp);
        QCOMPARE(result.attempts, 3);
        QCOMPARE(evaluations, 3);
        QCOMPARE(result.error.kind, FleetError::Kind::Conflict);
        QCOMPARE(rival.read("busy").value().value, std::optional<QByteArray>("rival"));
    }

    // Not an assertion of speed: the figures go to the report.
    void measureRoundTrips() {
        auto i1 = connect(freshFleet(), "i1");
        QVERIFY(i1);
        NatsIdempotencyLedger ledger(i1);
        CustomerWindowStore windows(i1);
        QCOMPARE(ledger.claim("warm", "h").kind, ClaimResult::Kind::Claimed);
        QCOMPARE(windows.update("warm", [](auto&) { return std::optional<QByteArray>("w"); }).kind,
                 WindowUpdateResult::Kind::Stored);
        constexpr int kRounds = 400;
        std::vector<double> claim, finalize, window;
        QElapsedTimer timer;
        for (int i = 0; i < kRounds; ++i) {
            const QString key = QStringLiteral("m-%1").arg(i);
            timer.start();
            const ClaimResult c = ledger.claim(key, "h");
            claim.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
            QCOMPARE(c.kind, ClaimResult::Kind::Claimed);
            timer.start();
            QCOMPARE(ledger.finalize(c.claim, "r").kind, LedgerWriteResult::Kind::Written);
            finalize.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
            timer.start();
            const auto w =
                windows.update(QStringLiteral("c-%1").arg(i % 50), [](const std::optional<QByteArray>& v) {
                    return std::optional<QByteArray>(v.value_or(QByteArray()).right(200) + "t");
                });
            window.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
            QCOMPARE(w.kind, WindowUpdateResult::Kind::Stored);
        }
        std::vector<double> duplicate;  // a retry of a decided key: the create fails, then two reads
        for (int i = 0; i < kRounds; ++i) {
            timer.start();
            const ClaimResult again = ledger.claim(QStringLiteral("m-%1").arg(i), "h");
            duplicate.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
            QCOMPARE(again.kind, ClaimResult::Kind::Exists);
        }
        for (const auto& [name, samples] :
             {std::pair{"claim", claim}, std::pair{"finalize", finalize},
              std::pair{"window read+CAS", window}, std::pair{"claim (exists)", duplicate}}) {
            const auto p = fleet_test::percentiles(samples);
            qInfo("round trip %-16s n=%zu p50=%.0f us p99=%.0f us", name, p.count, p.p50, p.p99);
        }
    }
};

QTEST_GUILESS_MAIN(TestFleetLedger)
#include "tst_fleet_ledger.moc"

// CommitWaits (issue 14): a reply waits for its commit, but never longer than the action timeout;
// then it hears "pending", and the commit's late release only drops it. On the VirtualClock.
#include "base/virtual_clock.h"
#include "payments/commit_waits.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {

PaymentResponse charged(const QString& id) {
    PaymentResponse r;
    r.outcome = PaymentOutcome::Charged;
    r.id = id;
    r.traceId = QStringLiteral("trace-") + id;
    r.receiptId = QStringLiteral("rcpt-") + id;
    r.processing = 3ms;
    return r;
}

struct Answers {
    std::vector<PaymentResponse> got;
    CommitWaits::Reply reply() {
        return [this](const PaymentResponse& r) {
            got.push_back(r);
        };
    }
};

}  // namespace

class TestCommitWaits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCommitInTimeGivesTheRealOutcome() {
        VirtualClock clock;
        CommitWaits waits(clock, 2s);
        Answers answers;
        const auto ticket = waits.add(answers.reply(), pendingAnswer(charged("p1"), true));
        QCOMPARE(waits.waiting(), std::size_t{1});
        clock.advanceBy(1999ms);
        QVERIFY(answers.got.empty());
        waits.release(ticket, charged("p1"));
        QCOMPARE(answers.got.size(), std::size_t{1});
        QCOMPARE(answers.got[0].receiptId, QStringLiteral("rcpt-p1"));
        QVERIFY(!answers.got[0].commitPending);
        QCOMPARE(answers.got[0].httpStatus(), 200);
        clock.advanceBy(10s);  // no second answer from the deadline
        QCOMPARE(answers.got.size(), std::size_t{1});
        QCOMPARE(waits.waiting(), std::size_t{0});
        QCOMPARE(waits.answeredPending(), std::uint64_t{0});
    }

    void aLateCommitIsAnsweredPendingOnceAndItsReleaseIsDropped() {
        VirtualClock clock;
        CommitWaits waits(clock, 2s);
        Answers answers;
        const auto ticket = waits.add(answers.reply(), pendingAnswer(charged("p1"), true));
        clock.advanceBy(2s);
        QCOMPARE(answers.got.size(), std::size_t{1});
        const PaymentResponse& pending = answers.got[0];
        QVERIFY(pending.commitPending);
        QCOMPARE(pending.httpStatus(), 503);
        QCOMPARE(pending.id, QStringLiteral("p1"));
        QCOMPARE(pending.traceId, QStringLiteral("trace-p1"));
        QVERIFY(pending.receiptId.isEmpty());
        QVERIFY(pending.retryAfter >= 1s);
        QCOMPARE(pending.processing, Duration(2003ms));
        QVERIFY(pending.error.contains(QStringLiteral("same idempotency key")));
        waits.release(ticket, charged("p1"));
        QCOMPARE(answers.got.size(), std::size_t{1});
        QCOMPARE(waits.waiting(), std::size_t{0});
        QCOMPARE(waits.answeredPending(), std::uint64_t{1});
    }

    void withoutAKeyThePendingAnswerSaysARetryIsANewPayment() {
        const PaymentResponse r = pendingAnswer(charged("p1"), false);
        QVERIFY(r.error.contains(QStringLiteral("without an idempotency key")));
    }

    // Commits release in any order; each reply is due by its own deadline.
    void eachReplyHasItsOwnDeadlineWhateverTheReleaseOrder() {
        VirtualClock clock;
        CommitWaits waits(clock, 2s);
        Answers answers;
        const auto a = waits.add(answers.reply(), pendingAnswer(charged("a"), true));
        clock.advanceBy(1s);
        const auto b = waits.add(answers.reply(), pendingAnswer(charged("b"), true));
        const auto c = waits.add(answers.reply(), pendingAnswer(charged("c"), true));
        waits.release(c, charged("c"));  // out of order
        QCOMPARE(answers.got.size(), std::size_t{1});
        QCOMPARE(answers.got.back().id, QStringLiteral("c"));
        QVERIFY(!answers.got.back().commitPending);
        clock.advanceBy(1s);  // a is due
        QCOMPARE(answers.got.size(), std::size_t{2});
        QCOMPARE(answers.got.back().id, QStringLiteral("a"));
        QVERIFY(answers.got.back().commitPending);
        waits.release(b, charged("b"));
        QCOMPARE(answers.got.back().id, QStringLiteral("b"));
        QVERIFY(!answers.got.back().commitPending);
        waits.release(a, charged("a"));  // late: dropped
        clock.advanceBy(5s);
        QCOMPARE(answers.got.size(), std::size_t{3});
        QCOMPARE(waits.waiting(), std::size_t{0});
    }

    void aNewPatienceAppliesToRepliesAddedAfterIt() {
        VirtualClock clock;
        CommitWaits waits(clock, 30s);
        Answers answers;
        waits.setPatience(1s);
        waits.add(answers.reply(), pendingAnswer(charged("p"), true));
        clock.advanceBy(1s);
        QCOMPARE(answers.got.size(), std::size_t{1});
        QVERIFY(answers.got[0].commitPending);
    }
};

QTEST_GUILESS_MAIN(TestCommitWaits)
#include "tst_commit_waits.moc"

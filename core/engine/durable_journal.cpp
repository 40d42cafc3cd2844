#include "engine/durable_journal.h"

#include "engine/engine_observer.h"
#include "payments/payment_json.h"

namespace tai {

void DurableJournal::record(const PaymentSignal& signal, const PaymentResponse& response,
                            const IdempotencyRecord* key, std::function<void()> release) {
    std::vector<AuditRow> rows;
    const std::int64_t now = toEpochMs(clock_.now());
    rows.push_back(AuditRow{now, response.traceId, QStringLiteral("decision"), response.id,
                            decisionAuditJson(signal, response), policyVersion_()});
    std::optional<IdempotencyRow> keyRow;
    if (key != nullptr && signal.idempotencyKey) {
        keyRow = IdempotencyRow{*signal.idempotencyKey, key->canonicalHash,
                                paymentResponseJson(key->response), now};
    }
    store_.appendDurable(
        std::move(rows), std::move(keyRow),
        [post = post_, release = std::move(release)]() mutable { post(std::move(release)); });
}

void ObservedJournal::record(const PaymentSignal& signal, const PaymentResponse& response,
                             const IdempotencyRecord* key, std::function<void()> release) {
    observer_.decision(signal, response, clock_.now());
    if (next_ != nullptr) {
        next_->record(signal, response, key, std::move(release));
        return;
    }
    release();
}

}  // namespace tai

#include "engine/policy_document.h"

#include <QUrl>

#include "base/bounded_file.h"
#include "base/json_text.h"
#include "engine/breaker_policy.h"
#include "policy/policy_reader.h"

#include <QFile>
#include <QJsonDocument>

namespace tai {

namespace {

constexpr int kMaxSeconds = 30 * 24 * 3600;

void readPayments(PolicyReader& r, PaymentsConfig& p) {
    r.integer(QStringLiteral("reject_score"), p.rejectScore, 0, 1'000'000);
    r.stringSet(QStringLiteral("blacklist"), p.blacklist);
    r.stringSet(QStringLiteral("trusted_customers"), p.trustedCustomers);
    r.object(QStringLiteral("rules"), [&p](PolicyReader& rules) {
        rules.object(QStringLiteral("blacklist"), [&p](PolicyReader& b) {
            b.integer(QStringLiteral("weight"), p.blacklistWeight, 0, 1'000'000);
        });
        rules.object(QStringLiteral("velocity"), [&p](PolicyReader& v) {
            v.integer(QStringLiteral("weight"), p.velocityWeight, 0, 1'000'000);
            v.integer(QStringLiteral("max_per_window"), p.velocityMaxPerWindow, 0, 1'000'000);
            v.integer(QStringLiteral("window_s"), p.velocityWindowS, 1, kMaxSeconds);
        });
        rules.object(QStringLiteral("amount"), [&p](PolicyReader& a) {
            a.integer(QStringLiteral("weight"), p.amountWeight, 0, 1'000'000);
            a.money(QStringLiteral("max_amount"), p.amountMaxMinor);
        });
        rules.object(QStringLiteral("currency"), [&p](PolicyReader& c) {
            c.integer(QStringLiteral("weight"), p.currencyWeight, 0, 1'000'000);
            c.integer(QStringLiteral("max_distinct"), p.currencyMaxDistinct, 0, 1000);
            c.integer(QStringLiteral("window_s"), p.currencyWindowS, 1, kMaxSeconds);
        });
    });
    r.integer(QStringLiteral("admission_queue_capacity"), p.admissionQueueCapacity, 1, 10'000'000);
    r.integer(QStringLiteral("confirmation_queue_capacity"), p.confirmationQueueCapacity, 1, 10'000'000);
    r.integer(QStringLiteral("gateway_rate_per_s"), p.gatewayRatePerS, 1, 100'000'000);
    r.integer(QStringLiteral("gateway_burst"), p.gatewayBurst, 1, 100'000'000);
    r.integer(QStringLiteral("action_timeout_s"), p.actionTimeoutS, 1, 3600);
    r.text(QStringLiteral("gateway_url"), p.gatewayUrl);
    if (!p.gatewayUrl.isEmpty()) {
        const QUrl url(p.gatewayUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
            r.error(QStringLiteral("gateway_url"), QStringLiteral("must be an http:// or https:// URL"));
        }
    }
    r.object(QStringLiteral("breaker"), [&p](PolicyReader& b) { readBreakerPolicy(b, p.breaker); });
}

// The endpoint a block exists for: required, http(s) with a host, or an error naming the key.
void checkHttpUrl(PolicyReader& r, const QString& key, const QString& value) {
    const QUrl url(value, QUrl::StrictMode);
    if (value.isEmpty()) {
        r.error(key, QStringLiteral("required: an http:// or https:// URL"));
    } else if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
               url.host().isEmpty()) {
        r.error(key, QStringLiteral("must be an http:// or https:// URL"));
    }
}

void readHealthProvider(PolicyReader& r, PrometheusHealthConfig& h) {
    r.text(QStringLiteral("prometheus_url"), h.url);
    r.text(QStringLiteral("error_rate_query"), h.errorRateQuery);
    r.text(QStringLiteral("p99_ms_query"), h.p99MsQuery);
    r.integer(QStringLiteral("timeout_ms"), h.timeoutMs, 100, 60'000);
    checkHttpUrl(r, QStringLiteral("prometheus_url"), h.url);
    // No query is right for every service's metrics, so neither has a default.
    for (const auto& [key, query] : {std::pair{QStringLiteral("error_rate_query"), &h.errorRateQuery},
                                     std::pair{QStringLiteral("p99_ms_query"), &h.p99MsQuery}}) {
        if (query->trimmed().isEmpty()) {
            r.error(key, QStringLiteral("must be a PromQL expression"));
        } else if (query->size() > 4096) {
            r.error(key, QStringLiteral("at most 4096 characters (got %1)").arg(query->size()));
        }
    }
}

void readActionWebhook(PolicyReader& r, ActionWebhookConfig& w) {
    r.text(QStringLiteral("url"), w.url);
    r.integer(QStringLiteral("timeout_s"), w.timeoutS, 1, 3600);
    checkHttpUrl(r, QStringLiteral("url"), w.url);
}

void readDeployments(PolicyReader& r, DeploymentsConfig& d) {
    r.stringList(QStringLiteral("regions"), d.regions, true);
    std::vector<RolloutStageConfig> stages;
    r.objectArray(QStringLiteral("stages"), [&stages](PolicyReader& s, int index) {
        RolloutStageConfig stage;
        s.boolean(QStringLiteral("pause"), stage.pause);
        s.text(QStringLiteral("name"), stage.name);
        if (stage.pause) {
            // {"pause": true}: holds the weight of the stage before until an operator promotes.
            if (stages.empty()) {
                s.error(QStringLiteral("pause"), QStringLiteral("a pause step needs a stage before it"));
            }
            stage.weightPercent = stages.empty() ? 1 : stages.back().weightPercent;
            if (stage.name.isEmpty()) {
                stage.name = QStringLiteral("pause");
            }
            stages.push_back(stage);
            return;  // weight, duration_s and require_confirmation are then unknown keys
        }
        s.integer(QStringLiteral("weight"), stage.weightPercent, 1, 100);
        s.integer(QStringLiteral("duration_s"), stage.durationS, 0, kMaxSeconds);
        s.boolean(QStringLiteral("require_confirmation"), stage.requireConfirmation);
        // Traffic on the new version only grows from stage to stage (§5.3).
        if (!stages.empty() && stage.weightPercent < stages.back().weightPercent) {
            s.error(QStringLiteral("weight"),
                    QStringLiteral("must not be below the weight of stages[%1] (%2)")
                        .arg(index - 1)
                        .arg(stages.back().weightPercent));
        }
        stages.push_back(stage);
    });
    if (!stages.empty()) {
        if (stages.back().weightPercent != 100) {
            // A region is done only once it has baked at 100 % (§5.3).
            r.error(QStringLiteral("stages[%1].weight").arg(stages.size() - 1),
                    QStringLiteral("the last stage must take 100 % of the traffic"));
        }
        d.stages = stages;
    }
    r.integer(QStringLiteral("health_interval_s"), d.healthIntervalS, 1, kMaxSeconds);
    r.integer(QStringLiteral("bake_time_s"), d.bakeTimeS, 0, kMaxSeconds);
    r.integer(QStringLiteral("failure_limit"), d.failureLimit, 1, 1000);
    r.number(QStringLiteral("max_error_rate"), d.maxErrorRate, 0, 1);
    r.integer(QStringLiteral("max_p99_ms"), d.maxP99Ms, 1, 3'600'000);
    r.number(QStringLiteral("marginal_error_rate"), d.marginalErrorRate, 0, 1);
    r.integer(QStringLiteral("marginal_p99_ms"), d.marginalP99Ms, 1, 3'600'000);
    r.number(QStringLiteral("slow_stage_factor"), d.slowStageFactor, 1, 100);
    QString onMarginal =
        d.onMarginal == OnMarginal::Pause ? QStringLiteral("pause") : QStringLiteral("alert");
    r.oneOf(QStringLiteral("on_marginal"), onMarginal, {QStringLiteral("alert"), QStringLiteral("pause")});
    d.onMarginal = onMarginal == u"pause" ? OnMarginal::Pause : OnMarginal::Alert;
    r.object(QStringLiteral("breaker"), [&d](PolicyReader& b) { readBreakerPolicy(b, d.breaker); });
    r.object(QStringLiteral("health_provider"),
             [&d](PolicyReader& h) { readHealthProvider(h, d.healthProvider); });
    r.object(QStringLiteral("action_webhook"),
             [&d](PolicyReader& w) { readActionWebhook(w, d.actionWebhook); });
}

void readAndon(PolicyReader& r, AndonConfig& a) {
    r.integer(QStringLiteral("min_samples"), a.minSamples, 1, 1'000'000);
    r.integer(QStringLiteral("rate_window_s"), a.rateWindowS, 1, 3600);
    r.integer(QStringLiteral("event_alert_hold_s"), a.eventAlertHoldS, 1, 86400);
    r.object(QStringLiteral("rules"), [&a](PolicyReader& rules) {
        for (AndonRuleConfig& rule : a.rules) {
            rules.object(rule.name, [&rule](PolicyReader& one) {
                // A rate is a fraction; a threshold out of the metric's range could never fire.
                const bool rate = rule.name.endsWith(QStringLiteral("_rate"));
                const bool ms = rule.name.endsWith(QStringLiteral("_ms"));
                one.number(QStringLiteral("threshold"), rule.threshold, 0,
                           rate ? 1.0
                           : ms ? 3'600'000.0
                                : 1e6);
                one.oneOf(QStringLiteral("severity"), rule.severity,
                          {QStringLiteral("CRITICAL"), QStringLiteral("HIGH"), QStringLiteral("LOW")});
                one.integer(QStringLiteral("for_s"), rule.forS, 0, kMaxSeconds);
            });
        }
    });
}

}  // namespace

PolicyLoadResult parsePolicy(const QByteArray& json) {
    PolicyLoadResult result;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.errors << describeJsonError(json, parseError);
        return result;
    }
    if (!document.isObject()) {
        result.errors << QStringLiteral("policy file must be a JSON object");
        return result;
    }
    PolicyDocument policy;
    {
        PolicyReader root(document.object(), QString(), result.errors);
        root.text(QStringLiteral("version"), policy.version);
        // The version goes into every audit row and every snapshot: a name, not a payload.
        if (policy.version.size() > kMaxPolicyVersionChars) {
            result.errors << QStringLiteral("version: at most %1 characters (got %2)")
                                 .arg(kMaxPolicyVersionChars)
                                 .arg(policy.version.size());
        }
        root.object(QStringLiteral("payments"),
                    [&policy](PolicyReader& r) { readPayments(r, policy.payments); });
        root.object(QStringLiteral("deployments"),
                    [&policy](PolicyReader& r) { readDeployments(r, policy.deployments); });
        root.object(QStringLiteral("andon"), [&policy](PolicyReader& r) { readAndon(r, policy.andon); });
    }  // the reader reports unknown keys as it goes out of scope
    if (result.errors.isEmpty()) {
        result.policy = policy;  // never half-applied
    }
    return result;
}

PolicyLoadResult loadPolicyFile(const QString& path) {
    QString error;
    const auto text = readFileAtMost(path, kMaxPolicyBytes, &error);
    if (!text) {
        PolicyLoadResult result;
        result.errors << error;
        return result;
    }
    PolicyLoadResult result = parsePolicy(*text);
    for (QString& e : result.errors) {
        e = path + QStringLiteral(": ") + e;
    }
    return result;
}

}  // namespace tai

#pragma once

#include "jidoka/breaker_types.h"

#include <QSet>
#include <QString>

#include <cstdint>

namespace tai {

// Every threshold of the payment system, with the defaults of DESIGN.md §4 and §9.1.
struct PaymentsConfig {
    int rejectScore = 50;
    QSet<QString> blacklist{QStringLiteral("cust_666")};
    QSet<QString> trustedCustomers{QStringLiteral("cust_vip")};

    int blacklistWeight = 100;
    int velocityWeight = 50;
    int velocityMaxPerWindow = 5;
    int velocityWindowS = 60;
    int amountWeight = 50;
    std::int64_t amountMaxMinor = 5000'00;
    int currencyWeight = 30;
    int currencyMaxDistinct = 2;
    int currencyWindowS = 3600;

    int admissionQueueCapacity = 4096;
    int confirmationQueueCapacity = 4096;
    int gatewayRatePerS = 2000;
    int gatewayBurst = 200;
    int actionTimeoutS = 30;
    // A real HTTP payment gateway (§10.3) instead of the simulator; empty: the simulator.
    QString gatewayUrl;

    BreakerConfig breaker;
};

}  // namespace tai

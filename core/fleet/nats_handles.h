#pragma once

// Internal to tai::fleet: owning handles over libnats objects. Only .cpp files include this; the
// public headers never name a libnats type.
#include <nats/nats.h>

#include <memory>

namespace tai::fleet::nats {

template <class T, void (*Destroy)(T*)>
struct Deleter {
    void operator()(T* object) const {
        if (object != nullptr) {
            Destroy(object);
        }
    }
};

using OptionsPtr = std::unique_ptr<natsOptions, Deleter<natsOptions, natsOptions_Destroy>>;
using ConnectionPtr = std::unique_ptr<natsConnection, Deleter<natsConnection, natsConnection_Destroy>>;
using JetStreamPtr = std::unique_ptr<jsCtx, Deleter<jsCtx, jsCtx_Destroy>>;
using KvStorePtr = std::unique_ptr<kvStore, Deleter<kvStore, kvStore_Destroy>>;
using KvEntryPtr = std::unique_ptr<kvEntry, Deleter<kvEntry, kvEntry_Destroy>>;
using KvWatcherPtr = std::unique_ptr<kvWatcher, Deleter<kvWatcher, kvWatcher_Destroy>>;
using MessagePtr = std::unique_ptr<natsMsg, Deleter<natsMsg, natsMsg_Destroy>>;
using SubscriptionPtr =
    std::unique_ptr<natsSubscription, Deleter<natsSubscription, natsSubscription_Destroy>>;
using PubAckPtr = std::unique_ptr<jsPubAck, Deleter<jsPubAck, jsPubAck_Destroy>>;
using StreamInfoPtr = std::unique_ptr<jsStreamInfo, Deleter<jsStreamInfo, jsStreamInfo_Destroy>>;

inline void destroyInbox(natsInbox* inbox) {
    natsInbox_Destroy(inbox);
}
using InboxPtr = std::unique_ptr<natsInbox, Deleter<natsInbox, destroyInbox>>;

}  // namespace tai::fleet::nats

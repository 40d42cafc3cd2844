// FleetConnection, the JetStream stream side: the audit copy stream and its messages. Split from
// fleet_connection.cpp to keep each file small; one class.
#include "fleet/fleet_connection.h"

#include "fleet/nats_native.h"
#include "fleet/nats_status.h"

#include <array>

namespace tai::fleet {

using nats::toError;

FleetError FleetConnection::ensureStream(const StreamSpec& spec) {
    {
        std::lock_guard lock(cacheMutex_);
        if (auto it = streams_.find(spec.name); it != streams_.end() && it->second == spec) {
            return {};
        }
    }
    const QString what = u"stream " + spec.name;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray name = spec.name.toUtf8();
    const QByteArray subjects = spec.subjects.toUtf8();
    auto code = static_cast<jsErrCode>(0);
    jsStreamInfo* rawInfo = nullptr;
    natsStatus s = js_GetStreamInfo(&rawInfo, native_->jetStream.get(), name.constData(), nullptr, &code);
    nats::StreamInfoPtr info(rawInfo);
    if (s == NATS_NOT_FOUND) {
        std::array<const char*, 1> subjectList{subjects.constData()};
        jsStreamConfig config;
        jsStreamConfig_Init(&config);
        config.Name = name.constData();
        config.Subjects = subjectList.data();
        config.SubjectsLen = 1;
        config.Storage = js_FileStorage;
        config.MaxAge = std::chrono::duration_cast<std::chrono::nanoseconds>(spec.maxAge).count();
        config.Duplicates =
            std::chrono::duration_cast<std::chrono::nanoseconds>(spec.duplicateWindow).count();
        code = static_cast<jsErrCode>(0);
        rawInfo = nullptr;
        s = js_AddStream(&rawInfo, native_->jetStream.get(), &config, nullptr, &code);
        info.reset(rawInfo);
        if (s != NATS_OK && code == JSStreamNameExistErr) {
            s = NATS_OK;  // another instance made it first, with the same design
        }
    }
    if (s != NATS_OK) {
        return toError(s, code, what, false);
    }
    std::lock_guard lock(cacheMutex_);
    streams_[spec.name] = spec;
    return {};
}

FleetResult<JetStreamAck> FleetConnection::jetStreamPublish(const FleetMessage& message,
                                                            const JetStreamExpect& expect) {
    const QString what = u"write " + message.subject;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    natsStatus s = NATS_OK;
    nats::MessagePtr msg = nats::makeMessage(message, &s);
    if (s != NATS_OK) {
        return toError(s, 0, what, false);
    }
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = native_->requestTimeoutMs;
    options.MsgId = expect.messageId.isEmpty() ? nullptr : expect.messageId.constData();
    options.ExpectLastSubjectSeq = expect.lastSubjectSequence;
    options.ExpectNoMessage = expect.noMessageOnSubject;
    jsPubAck* rawAck = nullptr;
    auto code = static_cast<jsErrCode>(0);
    s = js_PublishMsg(&rawAck, native_->jetStream.get(), msg.get(), &options, &code);
    nats::PubAckPtr ack(rawAck);
    if (s == NATS_NO_RESPONDERS) {
        // No stream takes the subject (a server that lost its store): make streams again on next use.
        std::lock_guard lock(cacheMutex_);
        streams_.clear();
    }
    if (s != NATS_OK) {
        return toError(s, code, what, true);
    }
    return JetStreamAck{ack->Sequence, ack->Duplicate};
}

FleetResult<StoredMessage> FleetConnection::lastStreamMessage(const QString& stream, const QString& subject) {
    const QString what = u"read " + stream + u' ' + subject;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray streamName = stream.toUtf8();
    const QByteArray subjectName = subject.toUtf8();
    natsMsg* raw = nullptr;
    auto code = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetLastMsg(&raw, native_->jetStream.get(), streamName.constData(),
                                       subjectName.constData(), nullptr, &code);
    nats::MessagePtr msg(raw);
    if (s != NATS_OK) {
        return toError(s, code, what, false);
    }
    return StoredMessage{nats::copyMessage(msg.get()), natsMsg_GetSequence(msg.get()),
                         natsMsg_GetTime(msg.get())};
}

FleetResult<StoredMessage> FleetConnection::streamMessage(const QString& stream, std::uint64_t sequence) {
    const QString what = u"read " + stream + u" #" + QString::number(sequence);
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray streamName = stream.toUtf8();
    natsMsg* raw = nullptr;
    auto code = static_cast<jsErrCode>(0);
    const natsStatus s =
        js_GetMsg(&raw, native_->jetStream.get(), streamName.constData(), sequence, nullptr, &code);
    nats::MessagePtr msg(raw);
    if (s != NATS_OK) {
        return toError(s, code, what, false);
    }
    return StoredMessage{nats::copyMessage(msg.get()), natsMsg_GetSequence(msg.get()),
                         natsMsg_GetTime(msg.get())};
}

FleetResult<StreamState> FleetConnection::streamState(const QString& stream) {
    const QString what = u"stream " + stream;
    if (FleetError down = unavailableUnlessConnected(what); !down.ok()) {
        return down;
    }
    const QByteArray streamName = stream.toUtf8();
    jsStreamInfo* raw = nullptr;
    auto code = static_cast<jsErrCode>(0);
    const natsStatus s =
        js_GetStreamInfo(&raw, native_->jetStream.get(), streamName.constData(), nullptr, &code);
    nats::StreamInfoPtr info(raw);
    if (s != NATS_OK) {
        return toError(s, code, what, false);
    }
    return StreamState{info->State.Msgs, info->State.FirstSeq, info->State.LastSeq};
}

}  // namespace tai::fleet

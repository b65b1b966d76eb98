# Semgrep test for vk-employer-serializer-medical-field (ZM-2, MD-2): `semgrep --test .semgrep`.
from rest_framework import serializers

from verzuim.models import Ziekmelding


class ZiekmeldingSerializer(serializers.ModelSerializer):
    # ruleid: vk-employer-serializer-medical-field
    diagnosis = serializers.CharField()
    # ruleid: vk-employer-serializer-medical-field
    klachten = serializers.CharField(required=False)
    # ruleid: vk-employer-serializer-medical-field
    oordeel = serializers.CharField(source="consult.findings")
    # ok: vk-employer-serializer-medical-field
    expected_duration = serializers.CharField()
    # ok: vk-employer-serializer-medical-field
    limitations = serializers.CharField(source="advies.limitations")

    class Meta:
        model = Ziekmelding
        # ruleid: vk-employer-serializer-medical-field
        fields = ["id", "first_day", "anamnesis"]


class HerstelSerializer(serializers.Serializer):
    class Meta:
        # ruleid: vk-employer-serializer-medical-field
        fields = ("id", "medication")
        # ok: vk-employer-serializer-medical-field
        read_only_fields = ("id", "recovered_on")


class NotASerializer:
    # ok: vk-employer-serializer-medical-field
    diagnosis = object()

"""Account API: token issuance (SE-1), the caller's profile, scoped organisations (SE-9) and
account issuance through the same action as every other entry point (SE-3)."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import actions, scoping
from accounts.api_errors import ErrorSerializer
from accounts.models import ApiToken, Organisation, User
from accounts.roles import Role


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(max_length=16, help_text="TOTP-code of reservecode")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()


def _error(detail, code, http_status):
    return Response({"detail": detail, "code": code}, status=http_status)


class TokenView(APIView):
    """Exchange e-mail, password and a second factor for a bearer token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: TokenResponseSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,  # throttle scope "token"
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request._request,
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
        except (AxesBackendPermissionDenied, DjangoPermissionDenied):
            return _error(
                "Te veel mislukte pogingen; probeer het later opnieuw.",
                "locked_out",
                status.HTTP_403_FORBIDDEN,
            )
        if user is None:
            # Same answer for an unknown user and a wrong password: no enumeration.
            return _error(
                "Onjuiste inloggegevens.", "invalid_credentials", status.HTTP_400_BAD_REQUEST
            )
        device = match_token(user, data.validated_data["otp"].replace(" ", ""))
        if device is None or not device.confirmed:
            return _error(
                "Onjuiste inloggegevens.", "invalid_credentials", status.HTTP_400_BAD_REQUEST
            )
        token, raw = ApiToken.issue(user, device, label="api")
        return Response({"token": raw, "expires": token.expires_at}, status=status.HTTP_201_CREATED)


# nosemgrep: vk-view-without-policy — revokes only the token of this request
class RevokeTokenView(APIView):
    """Revoke the bearer token this request was made with."""

    @extend_schema(request=None, responses={204: None, 400: ErrorSerializer})
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            return _error(
                "Alleen een Bearer-token kan zichzelf intrekken.",
                "not_a_token",
                status.HTTP_400_BAD_REQUEST,
            )
        actions.revoke_token(user=request.user, token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kvk_number"]


class UserSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "organisation", "is_active"]


class IssueAccountSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=Role.choices)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only organisations the caller can see exist for them (SE-9).
            self.fields["organisation"].queryset = scoping.organisations_for(request.user)


# nosemgrep: vk-view-without-policy — returns request.user's own account, nobody else's
class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return scoping.organisations_for(self.request.user).order_by("name")


class AccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UserSerializer

    def get_queryset(self):
        return scoping.users_visible_to(self.request.user).order_by("email")

    @extend_schema(
        request=IssueAccountSerializer,
        responses={201: UserSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = IssueAccountSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            user = actions.issue_account(by=request.user, request=request, **data)
        except actions.AccountRefused as refusal:
            return _error(str(refusal), "account_refused", status.HTTP_403_FORBIDDEN)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

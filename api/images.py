"""Images in the read API: what an image shows, its credit, and its renditions' URLs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from images.models import Image


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    type = serializers.CharField(
        help_text="image/avif, image/webp, image/jpeg, image/png or image/gif."
    )


class CreditSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(help_text="A link for the credit, or ''.")


class ImageSerializer(serializers.ModelSerializer):
    alt_text = serializers.SerializerMethodField()
    credit = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["key", "alt_text", "decorative", "caption", "credit", "width", "height"]
        fields += ["renditions"]

    def get_alt_text(self, image) -> str:
        return image.alt_text

    @extend_schema_field(CreditSerializer(allow_null=True))
    def get_credit(self, image):
        return credit_data(image.credit(), self.context["request"])

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        absolute = self.context["request"].build_absolute_uri
        return [
            {
                "url": absolute(image.rendition_url(r)),
                "width": r["width"],
                "height": r["height"],
                "type": r["type"],
            }
            for r in sorted(image.renditions, key=lambda r: (r["type"], r["width"]))
        ]


def credit_data(credit, request):
    if credit is None:
        return None
    text, url = credit
    return {"text": text, "url": request.build_absolute_uri(url) if url else ""}


class FigureSerializer(serializers.Serializer):
    """A guide's figure: where it is, its caption and credit (its own or its image's)."""

    number = serializers.IntegerField()
    place = serializers.CharField(help_text="cover, intro or pick.")
    pick = serializers.IntegerField(source="pick.rank", allow_null=True, default=None)
    caption = serializers.CharField(source="shown_caption")
    credit = serializers.SerializerMethodField()
    image = ImageSerializer()

    @extend_schema_field(CreditSerializer(allow_null=True))
    def get_credit(self, figure):
        return credit_data(figure.credit(), self.context["request"])


def picture_of(item):
    """The Image of a paper's or conference's picture, or None."""
    picture = getattr(item, "picture", None)  # a missing one-to-one raises, caught here
    return picture.image if picture else None


@extend_schema_field(ImageSerializer(allow_null=True))
class PictureField(serializers.Field):
    """The picture of a paper or conference (images.PaperImage, ConferenceImage)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, item):
        image = picture_of(item)
        return ImageSerializer(image, context=self.context).data if image else None
